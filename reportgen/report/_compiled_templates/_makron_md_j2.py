from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_makron.md.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_tabell = l_0_beslutsreferens = l_0_illustrativt = l_0_ramtabell = l_0_projekttabell = l_0_fordelning = l_0_medfinansiering = l_0_medfinansiering_text = l_0_kostnadsslag = l_0_underskrift = l_0_underlag = l_0_utkast = l_0_indikator = l_0_antal = l_0_indikatortabell = l_0_avrundning = l_0_figur = missing
    try:
        t_1 = environment.filters['datum']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'datum' found.")
    try:
        t_2 = environment.filters['kr']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'kr' found.")
    try:
        t_3 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_4 = environment.filters['och']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'och' found.")
    try:
        t_5 = environment.filters['procent']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'procent' found.")
    try:
        t_6 = environment.filters['tal']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'tal' found.")
    try:
        t_7 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_ns, l_1_rubrik, l_1_summa):
        t_8 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_rubrik is missing:
            l_1_rubrik = undefined("parameter 'rubrik' was not provided", name='rubrik')
        if l_1_summa is missing:
            l_1_summa = False
        pass
        if not isinstance(l_1_ns, Namespace):
            raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
        l_1_ns['tabell'] = (environment.getattr(l_1_ns, 'tabell') + 1)
        t_8.extend((
            '{caption="Tabell ',
            environment.finalize(environment.getattr(l_1_ns, 'tabell')),
            '. ',
            environment.finalize(l_1_rubrik),
            '"',
        ))
        if l_1_summa:
            pass
            t_8.append(
                ' .totals',
            )
        t_8.append(
            '}',
        )
        return concat(t_8)
    context.exported_vars.add('tabell')
    context.vars['tabell'] = l_0_tabell = Macro(environment, macro, 'tabell', ('ns', 'rubrik', 'summa'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_decision):
        t_9 = []
        if l_1_decision is missing:
            l_1_decision = undefined("parameter 'decision' was not provided", name='decision')
        pass
        t_9.extend((
            'regeringsbeslut den ',
            environment.finalize(t_1(environment.getattr(l_1_decision, 'date'))),
            ' (',
            environment.finalize(environment.getattr(l_1_decision, 'diarienummer')),
            ')',
        ))
        return concat(t_9)
    context.exported_vars.add('beslutsreferens')
    context.vars['beslutsreferens'] = l_0_beslutsreferens = Macro(environment, macro, 'beslutsreferens', ('decision',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_decision):
        t_10 = []
        if l_1_decision is missing:
            l_1_decision = undefined("parameter 'decision' was not provided", name='decision')
        pass
        if environment.getattr(l_1_decision, 'illustrative'):
            pass
            t_10.extend((
                '\n*Observera: beslutets diarienummer ',
                environment.finalize(environment.getattr(l_1_decision, 'diarienummer')),
                ' och beslutsdatum i denna rapport är illustrativa exempel. Beslutstexten anger dem inte.*\n',
            ))
        return concat(t_10)
    context.exported_vars.add('illustrativt')
    context.vars['illustrativt'] = l_0_illustrativt = Macro(environment, macro, 'illustrativt', ('decision',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_decision):
        t_11 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_decision is missing:
            l_1_decision = undefined("parameter 'decision' was not provided", name='decision')
        pass
        t_11.extend((
            environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, 'Ekonomiska ramar enligt regeringsbeslutet', summa=True)),
            '\n| År | Ram | Status | Beslut |\n|:---|---:|:---|:---|\n',
        ))
        for l_2_f in environment.call(context, environment.budget_iter, environment.getattr(l_1_decision, 'frames')):
            _loop_vars = {}
            pass
            t_11.extend((
                '| ',
                environment.finalize(environment.getattr(l_2_f, 'year')),
                ' | ',
                environment.finalize(t_2(environment.getattr(l_2_f, 'amount'))),
                ' | ',
                environment.finalize(environment.getattr(l_2_f, 'status')),
                ' | ',
                environment.finalize(environment.getattr(l_2_f, 'source')),
                ' |\n',
            ))
        l_2_f = missing
        t_11.extend((
            '| Totalt | ',
            environment.finalize(t_2(environment.getattr(l_1_decision, 'frames_total'))),
            ' | | |',
        ))
        return concat(t_11)
    context.exported_vars.add('ramtabell')
    context.vars['ramtabell'] = l_0_ramtabell = Macro(environment, macro, 'ramtabell', ('ns', 'decision'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_projects, l_1_rubrik):
        t_12 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_projects is missing:
            l_1_projects = undefined("parameter 'projects' was not provided", name='projects')
        if l_1_rubrik is missing:
            l_1_rubrik = undefined("parameter 'rubrik' was not provided", name='rubrik')
        pass
        t_12.extend((
            environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, l_1_rubrik, summa=True)),
            '\n| Projekt | Projektägare | Län | Fokusområden | Beviljat |\n|:---|:---|:---|:---|---:|\n',
        ))
        for l_2_p in environment.call(context, environment.budget_iter, environment.getattr(l_1_projects, 'rows')):
            _loop_vars = {}
            pass
            t_12.extend((
                '| ',
                environment.finalize(environment.getattr(l_2_p, 'id')),
                ' ',
                environment.finalize(environment.getattr(l_2_p, 'title')),
                ' | ',
                environment.finalize(environment.getattr(l_2_p, 'owner')),
                ' | ',
                environment.finalize(t_4(environment.getattr(l_2_p, 'counties'))),
                ' | ',
                environment.finalize(t_4(environment.getattr(l_2_p, 'focus_areas'))),
                ' | ',
                environment.finalize(t_2(environment.getattr(l_2_p, 'granted_in_period'))),
                ' |\n',
            ))
        l_2_p = missing
        t_12.extend((
            '| Totalt, ',
            environment.finalize(environment.getattr(l_1_projects, 'count')),
            ' projekt | | | | ',
            environment.finalize(t_2(environment.getattr(environment.getattr(l_1_projects, 'total'), 'granted_in_period'))),
            ' |',
        ))
        return concat(t_12)
    context.exported_vars.add('projekttabell')
    context.vars['projekttabell'] = l_0_projekttabell = Macro(environment, macro, 'projekttabell', ('ns', 'projects', 'rubrik'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_table, l_1_rubrik, l_1_kolumn):
        t_13 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_table is missing:
            l_1_table = undefined("parameter 'table' was not provided", name='table')
        if l_1_rubrik is missing:
            l_1_rubrik = undefined("parameter 'rubrik' was not provided", name='rubrik')
        if l_1_kolumn is missing:
            l_1_kolumn = undefined("parameter 'kolumn' was not provided", name='kolumn')
        pass
        t_13.extend((
            environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, l_1_rubrik, summa=True)),
            '\n| ',
            environment.finalize(l_1_kolumn),
            ' | Projekt | Beviljat | Utbetalt |\n|:---|---:|---:|---:|\n',
        ))
        for l_2_r in environment.call(context, environment.budget_iter, environment.getattr(l_1_table, 'rows')):
            _loop_vars = {}
            pass
            t_13.extend((
                '| ',
                environment.finalize(environment.getattr(l_2_r, 'name')),
                ' | ',
                environment.finalize(environment.getattr(l_2_r, 'projects')),
                ' | ',
                environment.finalize(t_2(environment.getattr(l_2_r, 'granted'))),
                ' | ',
                environment.finalize(t_2(environment.getattr(l_2_r, 'disbursed'))),
                ' |\n',
            ))
        l_2_r = missing
        t_13.extend((
            '| Totalt | ',
            environment.finalize(environment.getattr(environment.getattr(l_1_table, 'total'), 'projects')),
            ' | ',
            environment.finalize(t_2(environment.getattr(environment.getattr(l_1_table, 'total'), 'granted'))),
            ' | ',
            environment.finalize(t_2(environment.getattr(environment.getattr(l_1_table, 'total'), 'disbursed'))),
            ' |',
        ))
        return concat(t_13)
    context.exported_vars.add('fordelning')
    context.vars['fordelning'] = l_0_fordelning = Macro(environment, macro, 'fordelning', ('ns', 'table', 'rubrik', 'kolumn'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_cofinancing):
        t_14 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_cofinancing is missing:
            l_1_cofinancing = undefined("parameter 'cofinancing' was not provided", name='cofinancing')
        pass
        if environment.getattr(l_1_cofinancing, 'has_actual'):
            pass
            t_14.extend((
                environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, 'Medfinansiering per källa, budget och utfall', summa=True)),
                '\n| Källa | Budget | Utfall |\n|:---|---:|---:|\n',
            ))
            for l_2_r in environment.call(context, environment.budget_iter, environment.getattr(l_1_cofinancing, 'rows')):
                _loop_vars = {}
                pass
                t_14.extend((
                    '| ',
                    environment.finalize(environment.getattr(l_2_r, 'source')),
                    ' | ',
                    environment.finalize((t_2(environment.getattr(l_2_r, 'amount')) if environment.getattr(l_2_r, 'planned_stated') else '–')),
                    ' | ',
                    environment.finalize((t_2(environment.getattr(l_2_r, 'actual')) if environment.getattr(l_2_r, 'actual_stated') else '–')),
                    ' |\n',
                ))
            l_2_r = missing
            t_14.extend((
                '| Totalt | ',
                environment.finalize(t_2(environment.getattr(environment.getattr(l_1_cofinancing, 'total'), 'amount'))),
                ' | ',
                environment.finalize(t_2(environment.getattr(environment.getattr(l_1_cofinancing, 'total'), 'actual'))),
                ' |\n',
            ))
        else:
            pass
            t_14.extend((
                environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, 'Medfinansiering per källa', summa=True)),
                '\n| Källa | Belopp |\n|:---|---:|\n',
            ))
            for l_2_r in environment.call(context, environment.budget_iter, environment.getattr(l_1_cofinancing, 'rows')):
                _loop_vars = {}
                pass
                t_14.extend((
                    '| ',
                    environment.finalize(environment.getattr(l_2_r, 'source')),
                    ' | ',
                    environment.finalize(t_2(environment.getattr(l_2_r, 'amount'))),
                    ' |\n',
                ))
            l_2_r = missing
            t_14.extend((
                '| Totalt | ',
                environment.finalize(t_2(environment.getattr(environment.getattr(l_1_cofinancing, 'total'), 'amount'))),
                ' |\n',
            ))
        return concat(t_14)
    context.exported_vars.add('medfinansiering')
    context.vars['medfinansiering'] = l_0_medfinansiering = Macro(environment, macro, 'medfinansiering', ('ns', 'cofinancing'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_cofinancing):
        t_15 = []
        if l_1_cofinancing is missing:
            l_1_cofinancing = undefined("parameter 'cofinancing' was not provided", name='cofinancing')
        pass
        if environment.getattr(l_1_cofinancing, 'has_actual'):
            pass
            t_15.extend((
                environment.finalize(environment.getattr(l_1_cofinancing, 'projects')),
                ' av projekten har medfinansiering från andra källor: enligt budget ',
                environment.finalize(t_2(environment.getattr(environment.getattr(l_1_cofinancing, 'total'), 'amount'))),
                ' och i utfall hittills ',
                environment.finalize(t_2(environment.getattr(environment.getattr(l_1_cofinancing, 'total'), 'actual'))),
                '.',
            ))
            if environment.getattr(l_1_cofinancing, 'has_planned'):
                pass
                t_15.extend((
                    ' Den planerade medfinansieringen utgör ',
                    environment.finalize(t_5(environment.getattr(l_1_cofinancing, 'share'))),
                    ' av projektens totala budget.',
                ))
            t_15.append(
                ' Ett streck i tabellen betyder att inget belopp har angetts.',
            )
        else:
            pass
            t_15.extend((
                environment.finalize(environment.getattr(l_1_cofinancing, 'projects')),
                ' av projekten har medfinansiering från andra källor, sammanlagt ',
                environment.finalize(t_2(environment.getattr(environment.getattr(l_1_cofinancing, 'total'), 'amount'))),
                '. Medfinansieringen utgör ',
                environment.finalize(t_5(environment.getattr(l_1_cofinancing, 'share'))),
                ' av projektens totala budget.',
            ))
        return concat(t_15)
    context.exported_vars.add('medfinansiering_text')
    context.vars['medfinansiering_text'] = l_0_medfinansiering_text = Macro(environment, macro, 'medfinansiering_text', ('cofinancing',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_kinds, l_1_rubrik):
        t_16 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_kinds is missing:
            l_1_kinds = undefined("parameter 'kinds' was not provided", name='kinds')
        if l_1_rubrik is missing:
            l_1_rubrik = undefined("parameter 'rubrik' was not provided", name='rubrik')
        pass
        t_16.extend((
            environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, l_1_rubrik, summa=True)),
            '\n| Kostnadsslag | Belopp |\n|:---|---:|\n',
        ))
        for l_2_r in environment.call(context, environment.budget_iter, environment.getattr(l_1_kinds, 'rows')):
            _loop_vars = {}
            pass
            t_16.extend((
                '| ',
                environment.finalize(t_3(environment.getattr(l_2_r, 'kind'))),
                ' | ',
                environment.finalize(t_2(environment.getattr(l_2_r, 'amount'))),
                ' |\n',
            ))
        l_2_r = missing
        t_16.extend((
            '| Totalt | ',
            environment.finalize(t_2(environment.getattr(environment.getattr(l_1_kinds, 'total'), 'amount'))),
            ' |',
        ))
        return concat(t_16)
    context.exported_vars.add('kostnadsslag')
    context.vars['kostnadsslag'] = l_0_kostnadsslag = Macro(environment, macro, 'kostnadsslag', ('ns', 'kinds', 'rubrik'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_agency):
        t_17 = []
        if l_1_agency is missing:
            l_1_agency = undefined("parameter 'agency' was not provided", name='agency')
        pass
        if environment.getattr(l_1_agency, 'signatory'):
            pass
            t_17.extend((
                'Beslut i detta ärende har fattats av ',
                environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'signatory'), 'name')),
                ' (',
                environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'signatory'), 'title')),
                ')',
            ))
            if environment.getattr(l_1_agency, 'rapporteur'):
                pass
                t_17.extend((
                    ' efter föredragning av ',
                    environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'rapporteur'), 'name')),
                    ' (',
                    environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'rapporteur'), 'title')),
                    ')',
                ))
            t_17.append(
                '.\n',
            )
        t_17.extend((
            '\nKontaktperson: ',
            environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'contact'), 'name')),
            ' (',
            environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'contact'), 'title')),
            ')',
        ))
        if environment.getattr(environment.getattr(l_1_agency, 'contact'), 'email'):
            pass
            t_17.extend((
                ', ',
                environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'contact'), 'email')),
            ))
        if environment.getattr(environment.getattr(l_1_agency, 'contact'), 'phone'):
            pass
            t_17.extend((
                ', telefon ',
                environment.finalize(environment.getattr(environment.getattr(l_1_agency, 'contact'), 'phone')),
            ))
        t_17.append(
            '.',
        )
        return concat(t_17)
    context.exported_vars.add('underskrift')
    context.vars['underskrift'] = l_0_underskrift = Macro(environment, macro, 'underskrift', ('agency',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_report):
        t_18 = []
        if l_1_report is missing:
            l_1_report = undefined("parameter 'report' was not provided", name='report')
        pass
        t_18.extend((
            'Redovisningen bygger på beslut, utbetalningar och övriga händelser till och med den ',
            environment.finalize(t_1(environment.getattr(l_1_report, 'as_of'))),
            '; det som har tillkommit därefter ingår inte.',
        ))
        return concat(t_18)
    context.exported_vars.add('underlag')
    context.vars['underlag'] = l_0_underlag = Macro(environment, macro, 'underlag', ('report',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_draft):
        t_19 = []
        if l_1_draft is missing:
            l_1_draft = undefined("parameter 'draft' was not provided", name='draft')
        pass
        if (l_1_draft and environment.getattr(l_1_draft, 'gaps')):
            pass
            t_19.append(
                '# Utkast: uppgifter saknas\n\nDetta är ett utkast. Följande uppgifter saknas i underlaget och måste kompletteras innan rapporten kan lämnas:\n\n',
            )
            for l_2_g in environment.call(context, environment.budget_iter, environment.getattr(l_1_draft, 'gaps')):
                _loop_vars = {}
                pass
                t_19.extend((
                    '- ',
                    environment.finalize(environment.getattr(l_2_g, 'message')),
                ))
                if environment.getattr(l_2_g, 'where'):
                    pass
                    t_19.extend((
                        ' Plats i underlaget: ',
                        environment.finalize(environment.getattr(l_2_g, 'where')),
                        '.',
                    ))
                t_19.append(
                    '\n',
                )
            l_2_g = missing
        return concat(t_19)
    context.exported_vars.add('utkast')
    context.vars['utkast'] = l_0_utkast = Macro(environment, macro, 'utkast', ('draft',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_i):
        t_20 = []
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        if t_7(environment.getattr(l_1_i, 'value')):
            pass
            t_20.append(
                '–',
            )
        else:
            pass
            t_20.append(
                environment.finalize(t_6(environment.getattr(l_1_i, 'value'))),
            )
            if (not environment.getattr(l_1_i, 'complete')):
                pass
                t_20.extend((
                    ' (',
                    environment.finalize(environment.getattr(l_1_i, 'reported')),
                    ' av ',
                    environment.finalize(environment.getattr(l_1_i, 'projects')),
                    ' projekt)',
                ))
        return concat(t_20)
    context.exported_vars.add('indikator')
    context.vars['indikator'] = l_0_indikator = Macro(environment, macro, 'indikator', ('i',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_v):
        t_21 = []
        if l_1_v is missing:
            l_1_v = undefined("parameter 'v' was not provided", name='v')
        pass
        if t_7(l_1_v):
            pass
            t_21.append(
                '–',
            )
        else:
            pass
            t_21.append(
                environment.finalize(t_6(l_1_v)),
            )
        return concat(t_21)
    context.exported_vars.add('antal')
    context.vars['antal'] = l_0_antal = Macro(environment, macro, 'antal', ('v',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_table, l_1_rubrik, l_1_kolumn):
        t_22 = []
        l_1_t = missing
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_table is missing:
            l_1_table = undefined("parameter 'table' was not provided", name='table')
        if l_1_rubrik is missing:
            l_1_rubrik = undefined("parameter 'rubrik' was not provided", name='rubrik')
        if l_1_kolumn is missing:
            l_1_kolumn = undefined("parameter 'kolumn' was not provided", name='kolumn')
        pass
        t_22.extend((
            environment.finalize(environment.call(context, (undefined(name='tabell') if l_0_tabell is missing else l_0_tabell), l_1_ns, l_1_rubrik, summa=True)),
            '\n| ',
            environment.finalize(l_1_kolumn),
            ' | Företag | varav SMF | Deltagare, kvinnor | Deltagare, män | Aktiviteter |\n|:---|---:|---:|---:|---:|---:|\n',
        ))
        for l_2_r in environment.call(context, environment.budget_iter, environment.getattr(l_1_table, 'rows')):
            _loop_vars = {}
            pass
            t_22.extend((
                '| ',
                environment.finalize(environment.getattr(l_2_r, 'name')),
                ' | ',
                environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr(l_2_r, 'companies'), _loop_vars=_loop_vars)),
                ' | ',
                environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr(l_2_r, 'smes'), _loop_vars=_loop_vars)),
                ' | ',
                environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr(l_2_r, 'participants_women'), _loop_vars=_loop_vars)),
                ' | ',
                environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr(l_2_r, 'participants_men'), _loop_vars=_loop_vars)),
                ' | ',
                environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr(l_2_r, 'activities'), _loop_vars=_loop_vars)),
                ' |\n',
            ))
        l_2_r = missing
        l_1_t = environment.getattr(l_1_table, 'total')
        t_22.extend((
            '| Totalt | ',
            environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr((undefined(name='t') if l_1_t is missing else l_1_t), 'companies'))),
            ' | ',
            environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr((undefined(name='t') if l_1_t is missing else l_1_t), 'smes'))),
            ' | ',
            environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr((undefined(name='t') if l_1_t is missing else l_1_t), 'participants_women'))),
            ' | ',
            environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr((undefined(name='t') if l_1_t is missing else l_1_t), 'participants_men'))),
            ' | ',
            environment.finalize(environment.call(context, (undefined(name='antal') if l_0_antal is missing else l_0_antal), environment.getattr((undefined(name='t') if l_1_t is missing else l_1_t), 'activities'))),
            ' |\n',
        ))
        if environment.getattr(l_1_table, 'partial'):
            pass
            t_22.append(
                '\nEtt streck (–) betyder att inget av gruppens projekt har rapporterat indikatorn. Summorna gäller de projekt som har rapporterat; hur många de är för varje indikator framgår av tabellen över hela programmet.\n\n',
            )
        return concat(t_22)
    context.exported_vars.add('indikatortabell')
    context.vars['indikatortabell'] = l_0_indikatortabell = Macro(environment, macro, 'indikatortabell', ('ns', 'table', 'rubrik', 'kolumn'), False, False, False, context.eval_ctx.autoescape)
    def macro():
        t_23 = []
        pass
        t_23.append(
            'Beloppen är avrundade till hela kronor. Delbeloppen är avrundade så att de summerar till den avrundade totalsumman; ett enskilt delbelopp kan därför avvika med högst en krona från det exakta beloppet avrundat för sig.',
        )
        return concat(t_23)
    context.exported_vars.add('avrundning')
    context.vars['avrundning'] = l_0_avrundning = Macro(environment, macro, 'avrundning', (), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_ns, l_1_c):
        t_24 = []
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        pass
        if not isinstance(l_1_ns, Namespace):
            raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
        l_1_ns['figur'] = (environment.getattr(l_1_ns, 'figur') + 1)
        t_24.extend((
            '![',
            environment.finalize(environment.getattr(l_1_c, 'alt')),
            '](',
            environment.finalize(environment.getattr(l_1_c, 'src')),
            ' "Figur ',
            environment.finalize(environment.getattr(l_1_ns, 'figur')),
            '. ',
            environment.finalize(environment.getattr(l_1_c, 'caption')),
            '")',
        ))
        return concat(t_24)
    context.exported_vars.add('figur')
    context.vars['figur'] = l_0_figur = Macro(environment, macro, 'figur', ('ns', 'c'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '4=54&5=65&6=68&10=84&11=91&14=100&15=105&17=109&22=115&23=123&26=126&27=131&29=143&33=149&34=159&37=162&38=167&40=183&44=191&45=203&46=205&48=208&49=213&51=225&55=235&56=242&57=245&60=248&61=253&63=263&65=271&68=274&69=279&71=287&76=293&77=298&78=301&80=321&85=331&86=341&89=344&90=349&92=357&96=363&97=368&98=372&101=391&105=414&106=421&110=427&111=432&116=437&117=442&124=458&125=463&129=485&130=490&134=503&135=516&136=518&138=521&139=526&141=540&142=543&143=554&151=562&156=571&157=580&158=583'
# Generated by tools/precompile_templates.py from the shipped template _makron.md.j2: do not edit.
# ruff: noqa
