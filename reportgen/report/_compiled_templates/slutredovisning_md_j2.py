from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'slutredovisning.md.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_report = resolve('report')
    l_0_draft = resolve('draft')
    l_0_agency = resolve('agency')
    l_0_decision = resolve('decision')
    l_0_texts = resolve('texts')
    l_0_accounting = resolve('accounting')
    l_0_repayment = resolve('repayment')
    l_0_projects = resolve('projects')
    l_0_by_county = resolve('by_county')
    l_0_results = resolve('results')
    l_0_calls = resolve('calls')
    l_0_charts = resolve('charts')
    l_0_by_focus_area = resolve('by_focus_area')
    l_0_cofinancing = resolve('cofinancing')
    l_0_evaluation = resolve('evaluation')
    l_0_rule_warnings = resolve('rule_warnings')
    l_0_m = l_0_ns = l_0_first = l_0_last = l_0_w = l_0_rows = l_0_total = missing
    try:
        t_1 = environment.filters['datum']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'datum' found.")
    try:
        t_2 = environment.filters['iso']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'iso' found.")
    try:
        t_3 = environment.filters['kr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'kr' found.")
    try:
        t_4 = environment.filters['kr_tal']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'kr_tal' found.")
    try:
        t_5 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_6 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_7 = environment.filters['mnkr']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'mnkr' found.")
    try:
        t_8 = environment.filters['och']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'och' found.")
    try:
        t_9 = environment.filters['procent']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'procent' found.")
    try:
        t_10 = environment.filters['rubriknivå']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'rubriknivå' found.")
    try:
        t_11 = environment.filters['tal']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No filter named 'tal' found.")
    try:
        t_12 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_12(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    l_0_m = context.vars['m'] = environment.get_template('_makron.md.j2', 'slutredovisning.md.j2')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_ns = environment.call(context, (undefined(name='namespace') if l_0_namespace is missing else l_0_namespace), tabell=0, figur=0)
    context.vars['ns'] = l_0_ns
    context.exported_vars.add('ns')
    l_0_first = environment.getitem(environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'accounting_years'), 0)
    context.vars['first'] = l_0_first
    context.exported_vars.add('first')
    l_0_last = environment.getitem(environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'accounting_years'), -1)
    context.vars['last'] = l_0_last
    context.exported_vars.add('last')
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'utkast'), (undefined(name='draft') if l_0_draft is missing else l_0_draft)))
    yield '\n[TOC]\n\n---\n\n# Sammanfattning\n\n'
    yield environment.finalize(environment.getattr((undefined(name='agency') if l_0_agency is missing else l_0_agency), 'name'))
    yield ' lämnar här slutredovisningen av uppdraget att främja Smart industri på regional nivå, enligt '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'beslutsreferens'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '. Slutredovisningen omfattar verksamheten '
    yield environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first))
    yield '–'
    yield environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last))
    yield ', redovisningen av hur medlen har använts och en utvärdering av resultat och effekter. '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'underlag'), (undefined(name='report') if l_0_report is missing else l_0_report)))
    yield '\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'illustrativt'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'sammanfattning'))
    yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.concat_markdown(('Uppdraget i siffror ', (undefined(name='first') if l_0_first is missing else l_0_first), '–', (undefined(name='last') if l_0_last is missing else l_0_last), ), (True, False, True, False,))))
    yield '\n| Uppgift | Värde |\n|:---|---:|\n| Rekvirerade medel | '
    yield environment.finalize(t_7(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'requisitioned')))
    yield ' |\n| Beviljat till projekt | '
    yield environment.finalize(t_7(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'granted')))
    yield ' |\n| Utbetalt till projekt | '
    yield environment.finalize(t_7(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'disbursed')))
    yield ' |\n| Programanknutna kostnader, andel av rekvirerade medel | '
    yield environment.finalize(t_9(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'cost_share')))
    yield ' |\n| Ej förbrukade medel som återbetalas | '
    yield environment.finalize(t_7(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'unspent')))
    yield ' |\n| Beviljade projekt | '
    yield environment.finalize(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'count'))
    yield ' |\n| Län med projekt | '
    yield environment.finalize(environment.getattr((undefined(name='by_county') if l_0_by_county is missing else l_0_by_county), 'groups'))
    yield ' av 21 |\n| Företag som fått stöd | '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'indikator'), environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'indicators'), 'companies')))
    yield ' |\n| varav små och medelstora företag | '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'indikator'), environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'indicators'), 'smes')))
    yield ' |\n'
    l_0_w = environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'indicators'), 'participants_women')
    context.vars['w'] = l_0_w
    context.exported_vars.add('w')
    yield '| Deltagare i kompetensinsatser | '
    if t_12(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'participants')):
        pass
        yield '–'
    else:
        pass
        yield environment.finalize(t_11(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'participants')))
        if (not environment.getattr((undefined(name='w') if l_0_w is missing else l_0_w), 'complete')):
            pass
            yield ' ('
            yield environment.finalize(environment.getattr((undefined(name='w') if l_0_w is missing else l_0_w), 'reported'))
            yield ' av '
            yield environment.finalize(environment.getattr((undefined(name='w') if l_0_w is missing else l_0_w), 'projects'))
            yield ' projekt)'
    yield ' |\n\n'
    template = environment.get_template('_uppdraget.md.j2', 'slutredovisning.md.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'first': l_0_first, 'last': l_0_last, 'm': l_0_m, 'ns': l_0_ns, 'rows': l_0_rows, 'total': l_0_total, 'w': l_0_w}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n# Genomförande '
    yield environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first))
    yield '–'
    yield environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last))
    yield '\n\n'
    yield environment.finalize(t_10(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'genomfort'), 1))
    yield '\n\n## Utlysningar\n\n'
    t_13 = 1
    for l_1_c in environment.call(context, environment.budget_iter, (undefined(name='calls') if l_0_calls is missing else l_0_calls)):
        _loop_vars = {}
        pass
        yield '- **'
        yield environment.finalize(environment.getattr(l_1_c, 'title'))
        yield '** var öppen från den '
        yield environment.finalize(t_1(environment.getattr(l_1_c, 'opens')))
        yield ' till den '
        yield environment.finalize(t_1(environment.getattr(l_1_c, 'closes')))
        if (not t_12(environment.getattr(l_1_c, 'budget'))):
            pass
            yield ' och omfattade '
            yield environment.finalize(t_7(environment.getattr(l_1_c, 'budget')))
        yield '.\n'
        t_13 = 0
    l_1_c = missing
    if t_13:
        pass
        yield 'Inga utlysningar har redovisats.\n'
    yield '\n## Beviljade projekt\n\nSammanlagt '
    yield environment.finalize(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'count'))
    yield ' projekt har beviljats '
    yield environment.finalize(t_3(environment.getattr(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'total'), 'granted_in_period')))
    yield ' under '
    yield environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first))
    yield '–'
    yield environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last))
    yield '. Samtliga projekt redovisas i bilagan.\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'projekttabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='projects') if l_0_projects is missing else l_0_projects), environment.concat_markdown(('Beviljade projekt ', (undefined(name='first') if l_0_first is missing else l_0_first), '–', (undefined(name='last') if l_0_last is missing else l_0_last), ), (True, False, True, False,))))
    yield '\n\n## Fördelning per län\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'fordelning'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='by_county') if l_0_by_county is missing else l_0_by_county), environment.concat_markdown(('Beviljade och utbetalda medel per län ', (undefined(name='first') if l_0_first is missing else l_0_first), '–', (undefined(name='last') if l_0_last is missing else l_0_last), ), (True, False, True, False,)), 'Län'))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='by_county') if l_0_by_county is missing else l_0_by_county), 'rule_text'))
    yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'figur'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'by_county')))
    yield '\n\n## Fördelning per fokusområde\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'fordelning'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='by_focus_area') if l_0_by_focus_area is missing else l_0_by_focus_area), environment.concat_markdown(('Beviljade och utbetalda medel per fokusområde ', (undefined(name='first') if l_0_first is missing else l_0_first), '–', (undefined(name='last') if l_0_last is missing else l_0_last), ), (True, False, True, False,)), 'Fokusområde'))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='by_focus_area') if l_0_by_focus_area is missing else l_0_by_focus_area), 'rule_text'))
    yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'figur'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'by_focus_area')))
    yield '\n\n## Medfinansiering\n\n'
    if environment.getattr((undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing), 'rows'):
        pass
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'medfinansiering_text'), (undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing)))
        yield '\n\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'medfinansiering'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing)))
        yield '\n\n'
        if environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'cofinancing'):
            pass
            yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'figur'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'cofinancing')))
            yield '\n'
    else:
        pass
        yield 'Inga av projekten har redovisat medfinansiering.\n'
    yield '\n# Resultat\n\n'
    yield environment.finalize(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'projects_reporting'))
    yield ' av '
    yield environment.finalize(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'projects_total'))
    yield ' projekt har rapporterat resultatindikatorer. Tabellerna summerar projektens egna uppgifter.'
    if (not t_12(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'women_share'))):
        pass
        yield ' Av deltagarna i kompetensinsatserna var '
        yield environment.finalize(t_9(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'women_share'), 0))
        yield ' kvinnor.'
    yield '\n\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Resultatindikatorer för hela programmet'))
    yield '\n| Indikator | Antal |\n|:---|---:|\n'
    for l_1_r in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'totals')):
        _loop_vars = {}
        pass
        yield '| '
        yield environment.finalize(environment.getattr(l_1_r, 'name'))
        yield ' | '
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'indikator'), l_1_r, _loop_vars=_loop_vars))
        yield ' |\n'
    l_1_r = missing
    if environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'targets'):
        pass
        yield '\n## Resultat mot mål\n\n'
        yield environment.finalize(environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'targets'), 'projects'))
        yield ' av '
        yield environment.finalize(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'projects_total'))
        yield ' projekt har angett mål för en eller flera indikatorer. Tabellen jämför målen med utfallet i samma projekt; ett projekt som inte har rapporterat utfall för indikatorn räknas med noll.\n\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Utfall mot mål per indikator'))
        yield '\n| Indikator | Projekt med mål | Mål | Utfall | Andel av målet |\n|:---|---:|---:|---:|---:|\n'
        for l_1_r in environment.call(context, environment.budget_iter, environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'targets'), 'rows')):
            _loop_vars = {}
            pass
            yield '| '
            yield environment.finalize(environment.getattr(l_1_r, 'name'))
            yield ' | '
            yield environment.finalize(environment.getattr(l_1_r, 'projects'))
            yield ' | '
            yield environment.finalize(t_11(environment.getattr(l_1_r, 'target')))
            yield ' | '
            yield environment.finalize(t_11(environment.getattr(l_1_r, 'outcome')))
            yield ' | '
            yield environment.finalize(t_9(environment.getattr(l_1_r, 'share'), 0))
            yield ' |\n'
        l_1_r = missing
        if environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'targets'), 'by_focus_area'):
            pass
            yield '\n'
            yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Utfall mot mål per fokusområde'))
            yield '\n| Fokusområde | Indikator | Mål | Utfall | Andel av målet |\n|:---|:---|---:|---:|---:|\n'
            for l_1_r in environment.call(context, environment.budget_iter, environment.getattr(environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'targets'), 'by_focus_area')):
                _loop_vars = {}
                pass
                yield '| '
                yield environment.finalize(environment.getattr(l_1_r, 'area'))
                yield ' | '
                yield environment.finalize(environment.getattr(l_1_r, 'name'))
                yield ' | '
                yield environment.finalize(t_11(environment.getattr(l_1_r, 'target')))
                yield ' | '
                yield environment.finalize(t_11(environment.getattr(l_1_r, 'outcome')))
                yield ' | '
                yield environment.finalize(t_9(environment.getattr(l_1_r, 'share'), 0))
                yield ' |\n'
            l_1_r = missing
            yield '\nMål och utfall för ett projekt med flera fokusområden är fördelade på samma sätt som medlen, avrundat till hela tal.\n'
    yield '\n'
    if environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'partial'):
        pass
        yield 'En indikator som inget projekt har rapporterat anges med –. Där inte alla projekt har rapporterat en indikator anges inom parentes hur många som har gjort det; summan gäller bara dem.\n'
    yield '\n## Resultat per fokusområde\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'indikatortabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'by_focus_area'), 'Resultatindikatorer per fokusområde', 'Fokusområde'))
    yield '\n\nEtt projekt med flera fokusområden eller län har sina resultat fördelade på samma sätt som medlen, avrundat till hela tal.\n\n## Resultat per län\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'indikatortabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='results') if l_0_results is missing else l_0_results), 'by_county'), 'Resultatindikatorer per län', 'Län'))
    yield '\n\n# Utvärdering av resultat och effekter\n\n'
    if (undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation):
        pass
        yield 'Uppdraget har utvärderats '
        if environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'external'):
            pass
            yield 'externt '
        yield 'av '
        yield environment.finalize(environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'evaluator'))
        if environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'period'):
            pass
            yield ' under perioden '
            yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'period'), 'start')))
            yield '–'
            yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'period'), 'end')))
        yield '.\n\n## Metod\n\n'
        yield environment.finalize(t_10(environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'method'), 2))
        yield '\n\n## Utvärderingens iakttagelser\n\n'
        for l_1_f in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'findings')):
            _loop_vars = {}
            pass
            yield '- '
            yield environment.finalize(l_1_f)
            yield '\n'
        l_1_f = missing
        yield '\n## Effekter\n\n'
        yield environment.finalize(t_10(environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'effects'), 2))
        yield '\n'
        if environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'recommendations'):
            pass
            yield '\n## Rekommendationer\n\n'
            for l_1_r in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='evaluation') if l_0_evaluation is missing else l_0_evaluation), 'recommendations')):
                _loop_vars = {}
                pass
                yield '- '
                yield environment.finalize(l_1_r)
                yield '\n'
            l_1_r = missing
    yield '\n# Ekonomisk redovisning '
    yield environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first))
    yield '–'
    yield environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='agency') if l_0_agency is missing else l_0_agency), 'name'))
    yield ' har rekvirerat sammanlagt '
    yield environment.finalize(t_3(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'requisitioned')))
    yield ' från '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'requisition'), 'authority'))
    yield ' för '
    yield environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first))
    yield '–'
    yield environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last))
    yield '. Av dessa har '
    yield environment.finalize(t_3(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'disbursed')))
    yield ' betalats ut till projekt och '
    yield environment.finalize(t_3(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'programme_costs')))
    yield ' använts till programanknutna kostnader, vilket är '
    yield environment.finalize(t_9(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'cost_share')))
    yield ' av de rekvirerade medlen (taket är '
    yield environment.finalize(t_9(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'cap'), 0))
    yield ').\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Ekonomisk redovisning per år, belopp i kronor'))
    yield '\n'
    l_0_rows = environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'rows')
    context.vars['rows'] = l_0_rows
    context.exported_vars.add('rows')
    l_0_total = environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total')
    context.vars['total'] = l_0_total
    context.exported_vars.add('total')
    yield '| Post | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(environment.getattr(l_1_r, 'year'))
        yield ' | '
    l_1_r = missing
    yield 'Totalt |\n|:---|'
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield '---:|'
    l_1_r = missing
    yield '---:|\n| Ram | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_4(environment.getattr(l_1_r, 'frame')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'frame')))
    yield ' |\n| Rekvirerat | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_4(environment.getattr(l_1_r, 'requisitioned')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'requisitioned')))
    yield ' |\n| Beviljat till projekt | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_4(environment.getattr(l_1_r, 'granted')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'granted')))
    yield ' |\n| Utbetalt till projekt | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_4(environment.getattr(l_1_r, 'disbursed')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'disbursed')))
    yield ' |\n'
    if environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'has_recoveries'):
        pass
        yield '| Återkrav från projekt | '
        for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
            _loop_vars = {}
            pass
            yield environment.finalize(t_4(environment.getattr(l_1_r, 'recovered')))
            yield ' | '
        l_1_r = missing
        yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'recovered')))
        yield ' |\n'
    yield '| Programanknutna kostnader | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_4(environment.getattr(l_1_r, 'programme_costs')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'programme_costs')))
    yield ' |\n| Programanknutna kostnader, andel av rekvirerat | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_9(environment.getattr(l_1_r, 'cost_share')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_9(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'cost_share')))
    yield ' |\n| Ej förbrukat under året | '
    for l_1_r in environment.call(context, environment.budget_iter, (undefined(name='rows') if l_0_rows is missing else l_0_rows)):
        _loop_vars = {}
        pass
        yield environment.finalize(t_4(environment.getattr(l_1_r, 'net')))
        yield ' | '
    l_1_r = missing
    yield environment.finalize(t_4(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'net')))
    yield ' |\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'avrundning')))
    yield ' Raden *Ej förbrukat under året* är rekvirerade medel minus utbetalningar och programanknutna kostnader under året'
    if environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'has_recoveries'):
        pass
        yield ', plus återkrav från projekt'
    yield '; ett negativt belopp innebär att medel som rekvirerats tidigare år har använts.\n'
    if environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'cost_kinds'):
        pass
        yield '\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'kostnadsslag'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'cost_kinds'), environment.concat_markdown(('Programanknutna kostnader ', (undefined(name='first') if l_0_first is missing else l_0_first), '–', (undefined(name='last') if l_0_last is missing else l_0_last), ' per kostnadsslag', ), (True, False, True, False, True,))))
        yield '\n'
    yield '\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'figur'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'per_year')))
    yield '\n\nMedlen rekvirerades '
    l_1_loop = missing
    for l_1_r, l_1_loop in LoopContext(environment.call(context, environment.budget_iter, environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'rows')), undefined):
        _loop_vars = {}
        pass
        yield 'för '
        yield environment.finalize(environment.getattr(l_1_r, 'year'))
        yield ' den '
        yield environment.finalize(t_8(t_5(context, environment.getattr(l_1_r, 'requisition_dates'), 'datum')))
        yield environment.finalize(('.' if environment.getattr(l_1_loop, 'last') else (' och ' if (environment.getattr(l_1_loop, 'revindex') == 2) else ', ')))
    l_1_loop = l_1_r = missing
    yield '\n\n## Ej förbrukade medel och återbetalning\n\nEj förbrukade medel uppgår till '
    yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'unspent'), 2))
    yield ': rekvirerade medel '
    yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'requisitioned'), 2))
    yield ' minus utbetalningar '
    yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'disbursed'), 2))
    yield ' och programanknutna kostnader '
    yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'programme_costs'), 2))
    if environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'recoveries'):
        pass
        yield ', plus återkrav från projekt '
        yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'recovered'), 2))
    yield '.\n'
    if environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'recoveries'):
        pass
        yield '\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Återkrav från projekt', summa=True))
        yield '\n| Datum | Projekt | Kommentar | Belopp |\n|:---|:---|:---|---:|\n'
        for l_1_r in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'recoveries')):
            _loop_vars = {}
            pass
            yield '| '
            yield environment.finalize(t_2(environment.getattr(l_1_r, 'date')))
            yield ' | '
            yield environment.finalize(environment.getattr(l_1_r, 'project'))
            yield ' | '
            yield environment.finalize(t_6(environment.getattr(l_1_r, 'comment')))
            yield ' | '
            yield environment.finalize(t_3(environment.getattr(l_1_r, 'amount'), 2))
            yield ' |\n'
        l_1_r = missing
        yield '| Totalt | | | '
        yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'recovered'), 2))
        yield ' |\n'
    yield '\n'
    if environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'rows'):
        pass
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.concat_markdown(('Återbetalning till ', environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'to'), ), (True, False,)), summa=True))
        yield '\n| Datum | Bankgiro | Referens | Belopp |\n|:---|:---|:---|---:|\n'
        for l_1_r in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'rows')):
            _loop_vars = {}
            pass
            yield '| '
            yield environment.finalize(t_2(environment.getattr(l_1_r, 'date')))
            yield ' | '
            yield environment.finalize(environment.getattr(l_1_r, 'bankgiro'))
            yield ' | '
            yield environment.finalize(environment.getattr(l_1_r, 'reference'))
            yield ' | '
            yield environment.finalize(t_3(environment.getattr(l_1_r, 'amount'), 2))
            yield ' |\n'
        l_1_r = missing
        yield '| Totalt | | | '
        yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'repaid'), 2))
        yield ' |\n\n'
        if (environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'outstanding') == 0):
            pass
            yield 'Hela det ej förbrukade beloppet har återbetalats till '
            yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'to'))
            yield ' på bankgirokonto '
            yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'bankgiro'))
            yield ' med angivande av beslutets diarienummer, inom den tidsgräns som gäller ('
            yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'deadline')))
            yield ').\n'
        else:
            pass
            yield 'Av de ej förbrukade medlen återstår '
            yield environment.finalize(t_3(environment.getattr((undefined(name='repayment') if l_0_repayment is missing else l_0_repayment), 'outstanding'), 2))
            yield ' att återbetala till '
            yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'to'))
            yield ' senast den '
            yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'deadline')))
            yield ' på bankgirokonto '
            yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'bankgiro'))
            yield '.\n'
    else:
        pass
        yield 'De ej förbrukade medlen återbetalas till '
        yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'to'))
        yield ' senast den '
        yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'deadline')))
        yield ' på bankgirokonto '
        yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'bankgiro'))
        yield ', med angivande av beslutets diarienummer.\n'
    yield '\n# Lärdomar\n\n'
    yield environment.finalize(t_10(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'lardomar'), 1))
    yield '\n'
    if (undefined(name='rule_warnings') if l_0_rule_warnings is missing else l_0_rule_warnings):
        pass
        yield '\nKontrollen av underlaget mot beslutets villkor gav följande iakttagelser:\n\n'
        for l_1_w in environment.call(context, environment.budget_iter, (undefined(name='rule_warnings') if l_0_rule_warnings is missing else l_0_rule_warnings)):
            _loop_vars = {}
            pass
            yield '- '
            yield environment.finalize(l_1_w)
            yield '\n'
        l_1_w = missing
    yield '\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'underskrift'), (undefined(name='agency') if l_0_agency is missing else l_0_agency)))
    yield '\n\n---\n\n# Bilaga: Samtliga projekt\n\n## Projektförteckning\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.concat_markdown(('Samtliga projekt ', (undefined(name='first') if l_0_first is missing else l_0_first), '–', (undefined(name='last') if l_0_last is missing else l_0_last), ', belopp i kronor', ), (True, False, True, False, True,)), summa=True))
    yield '\n| Projekt | Projektägare | Län | Status | Beviljat | Utbetalt |\n|:---|:---|:---|:---|---:|---:|\n'
    for l_1_p in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'rows')):
        _loop_vars = {}
        pass
        yield '| '
        yield environment.finalize(environment.getattr(l_1_p, 'id'))
        yield ' '
        yield environment.finalize(environment.getattr(l_1_p, 'title'))
        yield ' | '
        yield environment.finalize(environment.getattr(l_1_p, 'owner'))
        yield ' | '
        yield environment.finalize(t_8(environment.getattr(l_1_p, 'counties')))
        yield ' | '
        yield environment.finalize(environment.getattr(l_1_p, 'status'))
        yield ' | '
        yield environment.finalize(t_4(environment.getattr(l_1_p, 'granted')))
        yield ' | '
        yield environment.finalize(t_4(environment.getattr(l_1_p, 'disbursed')))
        yield ' |\n'
    l_1_p = missing
    yield '| Totalt, '
    yield environment.finalize(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'count'))
    yield ' projekt | | | | '
    yield environment.finalize(t_4(environment.getattr(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'total'), 'granted')))
    yield ' | '
    yield environment.finalize(t_4(environment.getattr(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'total'), 'disbursed')))
    yield ' |\n\n## Projektbeskrivningar\n\n'
    for l_1_p in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'rows')):
        _loop_vars = {}
        pass
        yield '### '
        yield environment.finalize(environment.getattr(l_1_p, 'id'))
        yield ' '
        yield environment.finalize(environment.getattr(l_1_p, 'title'))
        yield '\n\n'
        if environment.getattr(l_1_p, 'summary'):
            pass
            yield environment.finalize(environment.getattr(l_1_p, 'summary'))
            yield '\n\n'
        yield '- Projektägare: '
        yield environment.finalize(environment.getattr(l_1_p, 'owner'))
        yield environment.finalize((' (annan aktör än regionalt utvecklingsansvarig)' if (environment.getattr(l_1_p, 'owner_kind') == 'other') else ''))
        yield '\n'
        if environment.getattr(l_1_p, 'anchoring'):
            pass
            yield '- Förankring: '
            yield environment.finalize(environment.getattr(l_1_p, 'anchoring'))
            yield '\n'
        yield '- Län: '
        yield environment.finalize(t_8(environment.getattr(l_1_p, 'counties')))
        yield '\n- Fokusområden: '
        yield environment.finalize(t_8(environment.getattr(l_1_p, 'focus_areas')))
        yield '\n- Period: '
        yield environment.finalize(t_1(environment.getattr(l_1_p, 'start')))
        yield '–'
        yield environment.finalize(t_1(environment.getattr(l_1_p, 'end')))
        yield ', status: '
        yield environment.finalize(environment.getattr(l_1_p, 'status_word'))
        yield '\n'
        if environment.getattr(l_1_p, 'continues'):
            pass
            yield '- Bygger vidare på: '
            yield environment.finalize(environment.getattr(l_1_p, 'continues'))
            yield '\n'
        yield '- Beviljat '
        yield environment.finalize(t_3(environment.getattr(l_1_p, 'granted')))
        yield ', utbetalt '
        yield environment.finalize(t_3(environment.getattr(l_1_p, 'disbursed')))
        if environment.getattr(l_1_p, 'recovered'):
            pass
            yield ', återkrävt '
            yield environment.finalize(t_3(environment.getattr(l_1_p, 'recovered')))
        if environment.getattr(l_1_p, 'cofinancing'):
            pass
            yield ', medfinansiering '
            yield environment.finalize(t_3(environment.getattr(l_1_p, 'cofinancing')))
            yield ' ('
            yield environment.finalize(t_9(environment.getattr(l_1_p, 'cofinancing_share'), 0))
            yield ' av projektets budget)'
        yield '\n'
    l_1_p = missing

blocks = {}
debug_info = '1=101&2=103&3=106&4=109&5=112&12=114&13=124&15=126&17=128&20=130&21=132&22=134&23=136&24=138&25=140&26=142&27=144&28=146&29=148&30=152&32=166&34=173&36=177&40=180&41=184&48=200&50=208&54=210&56=212&58=214&62=216&64=218&66=220&70=222&71=224&73=226&75=228&76=230&84=236&88=246&91=248&92=252&94=257&98=260&100=264&103=266&104=270&106=281&108=284&111=286&112=290&119=303&125=307&131=309&135=311&136=314&140=326&144=328&145=332&150=336&151=338&155=341&156=345&162=349&164=353&166=371&167=373&168=376&169=380&170=387&171=393&172=401&173=409&174=417&175=425&176=428&178=437&179=445&180=453&182=461&183=467&185=470&188=473&190=476&195=486&196=498&198=501&201=503&202=507&204=517&207=520&208=522&211=524&212=528&214=538&216=540&217=543&219=552&222=563&227=570&228=572&232=575&233=579&237=583&245=585&248=587&249=591&251=607&255=613&256=617&258=621&259=623&262=626&263=629&264=632&266=635&267=637&268=639&269=645&270=648&272=651'
# Generated by tools/precompile_templates.py from the shipped template slutredovisning.md.j2: do not edit.
# ruff: noqa
