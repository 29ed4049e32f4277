from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'delrapport.md.j2'

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
    l_0_calls = resolve('calls')
    l_0_projects = resolve('projects')
    l_0_by_county = resolve('by_county')
    l_0_charts = resolve('charts')
    l_0_by_focus_area = resolve('by_focus_area')
    l_0_cofinancing = resolve('cofinancing')
    l_0_accounting = resolve('accounting')
    l_0_rule_warnings = resolve('rule_warnings')
    l_0_m = l_0_ns = l_0_year = missing
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
        t_3 = environment.filters['mnkr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'mnkr' found.")
    try:
        t_4 = environment.filters['procent']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'procent' found.")
    try:
        t_5 = environment.filters['rubriknivå']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'rubriknivå' found.")
    try:
        t_6 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    l_0_m = context.vars['m'] = environment.get_template('_makron.md.j2', 'delrapport.md.j2')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_ns = environment.call(context, (undefined(name='namespace') if l_0_namespace is missing else l_0_namespace), tabell=0, figur=0)
    context.vars['ns'] = l_0_ns
    context.exported_vars.add('ns')
    l_0_year = environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'year')
    context.vars['year'] = l_0_year
    context.exported_vars.add('year')
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'utkast'), (undefined(name='draft') if l_0_draft is missing else l_0_draft)))
    yield '\n[TOC]\n\n---\n\n# Sammanfattning\n\n'
    yield environment.finalize(environment.getattr((undefined(name='agency') if l_0_agency is missing else l_0_agency), 'name'))
    yield ' lämnar här '
    yield environment.finalize(environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'kind_noun'))
    yield ' av uppdraget att främja Smart industri på regional nivå, enligt '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'beslutsreferens'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '. Rapporten avser verksamheten under '
    yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
    yield ' och innehåller den ekonomiska redovisningen av '
    yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
    yield ' års medel. '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'underlag'), (undefined(name='report') if l_0_report is missing else l_0_report)))
    yield '\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'illustrativt'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'sammanfattning'))
    yield '\n\n'
    template = environment.get_template('_uppdraget.md.j2', 'delrapport.md.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'m': l_0_m, 'ns': l_0_ns, 'year': l_0_year}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n# Genomfört under '
    yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
    yield '\n\n'
    yield environment.finalize(t_5(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'genomfort'), 1))
    yield '\n\n## Utlysningar\n\n'
    def t_7(fiter):
        for l_1_c in fiter:
            if (environment.getattr(environment.getattr(l_1_c, 'opens'), 'year') == (undefined(name='year') if l_0_year is missing else l_0_year)):
                yield l_1_c
    t_8 = 1
    for l_1_c in t_7(environment.call(context, environment.budget_iter, (undefined(name='calls') if l_0_calls is missing else l_0_calls))):
        _loop_vars = {}
        pass
        yield '- **'
        yield environment.finalize(environment.getattr(l_1_c, 'title'))
        yield '** var öppen från den '
        yield environment.finalize(t_1(environment.getattr(l_1_c, 'opens')))
        yield ' till den '
        yield environment.finalize(t_1(environment.getattr(l_1_c, 'closes')))
        if (not t_6(environment.getattr(l_1_c, 'budget'))):
            pass
            yield ' och omfattade '
            yield environment.finalize(t_3(environment.getattr(l_1_c, 'budget')))
        yield '.\n'
        t_8 = 0
    l_1_c = missing
    if t_8:
        pass
        yield 'Inga nya utlysningar öppnade under '
        yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
        yield '.\n'
    yield '\n## Beviljade projekt\n\n'
    if environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'rows'):
        pass
        yield 'Under perioden har '
        yield environment.finalize(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'count'))
        yield ' projekt beviljats sammanlagt '
        yield environment.finalize(t_2(environment.getattr(environment.getattr((undefined(name='projects') if l_0_projects is missing else l_0_projects), 'total'), 'granted_in_period')))
        yield ' ur '
        yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
        yield ' års medel.\n\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'projekttabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='projects') if l_0_projects is missing else l_0_projects), environment.concat_markdown(('Projekt som beviljats medel ur ', (undefined(name='year') if l_0_year is missing else l_0_year), ' års medel', ), (True, False, True,))))
        yield '\n'
    else:
        pass
        yield 'Inga projekt har beviljats medel ur '
        yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
        yield ' års medel.\n'
    yield '\n## Fördelning per län\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'fordelning'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='by_county') if l_0_by_county is missing else l_0_by_county), environment.concat_markdown(('Beviljade och utbetalda medel ', (undefined(name='year') if l_0_year is missing else l_0_year), ' per län', ), (True, False, True,)), 'Län'))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='by_county') if l_0_by_county is missing else l_0_by_county), 'rule_text'))
    yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'figur'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'by_county')))
    yield '\n\n## Fördelning per fokusområde\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'fordelning'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='by_focus_area') if l_0_by_focus_area is missing else l_0_by_focus_area), environment.concat_markdown(('Beviljade och utbetalda medel ', (undefined(name='year') if l_0_year is missing else l_0_year), ' per fokusområde', ), (True, False, True,)), 'Fokusområde'))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='by_focus_area') if l_0_by_focus_area is missing else l_0_by_focus_area), 'rule_text'))
    yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'figur'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'by_focus_area')))
    yield '\n\n## Medfinansiering\n\n'
    if environment.getattr((undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing), 'rows'):
        pass
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'medfinansiering_text'), (undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing)))
        if environment.getattr((undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing), 'has_planned'):
            pass
            yield ' Andelen räknas på projektens hela planerade medfinansiering, alla år, i de projekt som hade beviljats stöd till och med den '
            yield environment.finalize(t_1(environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'as_of')))
            yield ': budgeten ingår i beslutet om stöd och är känd i förväg. Tabellen visar de belopp som avser '
            yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
            yield ' och dem som avser hela projektet.'
        yield ' Utfall räknas för år till och med '
        yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
        yield '.\n\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'medfinansiering'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='cofinancing') if l_0_cofinancing is missing else l_0_cofinancing)))
        yield '\n'
    else:
        pass
        yield 'Inga av projekten har redovisat medfinansiering.\n'
    yield '\n# Ekonomisk redovisning '
    yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='agency') if l_0_agency is missing else l_0_agency), 'name'))
    yield ' rekvirerade '
    yield environment.finalize(t_2(environment.getattr(environment.getitem(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'rows'), 0), 'requisitioned')))
    yield ' för '
    yield environment.finalize((undefined(name='year') if l_0_year is missing else l_0_year))
    yield ' från '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'requisition'), 'authority'))
    yield '. De programanknutna kostnaderna uppgick till '
    yield environment.finalize(t_2(environment.getattr(environment.getitem(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'rows'), 0), 'programme_costs')))
    yield ', vilket motsvarar '
    yield environment.finalize(t_4(environment.getattr(environment.getitem(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'rows'), 0), 'cost_share')))
    yield ' av de rekvirerade medlen; taket är '
    yield environment.finalize(t_4(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'cap'), 0))
    yield '.\n\n'
    template = environment.get_template('_ekonomi_ar.md.j2', 'delrapport.md.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'m': l_0_m, 'ns': l_0_ns, 'year': l_0_year}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n'
    if environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'has_recoveries'):
        pass
        yield 'Återkrav från projekt är belopp som projekt har betalat tillbaka under året. De minskar nettoutbetalningarna till projekten och ingår i de ej förbrukade medlen.\n\n'
    if environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'cost_kinds'):
        pass
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'kostnadsslag'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'cost_kinds'), environment.concat_markdown(('Programanknutna kostnader ', (undefined(name='year') if l_0_year is missing else l_0_year), ' per kostnadsslag', ), (True, False, True,))))
        yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'avrundning')))
    yield '\n\n# Avvikelser och iakttagelser\n\n'
    yield environment.finalize(t_5(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'avvikelser'), 1))
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
    yield '\n'

blocks = {}
debug_info = '1=62&2=64&3=67&4=70&11=72&12=84&14=86&16=88&18=95&20=97&24=99&25=108&27=123&32=126&33=129&35=135&37=140&42=143&44=145&46=147&50=149&52=151&54=153&58=155&59=157&61=168&66=174&68=176&70=190&72=197&76=200&77=202&80=204&84=206&85=208&89=211&90=215&94=219'
# Generated by tools/precompile_templates.py from the shipped template delrapport.md.j2: do not edit.
# ruff: noqa
