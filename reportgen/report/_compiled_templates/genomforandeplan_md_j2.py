from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'genomforandeplan.md.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_namespace = resolve('namespace')
    l_0_draft = resolve('draft')
    l_0_agency = resolve('agency')
    l_0_decision = resolve('decision')
    l_0_texts = resolve('texts')
    l_0_calls = resolve('calls')
    l_0_plan = resolve('plan')
    l_0_m = l_0_ns = missing
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
        t_4 = environment.filters['mnkr']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'mnkr' found.")
    try:
        t_5 = environment.filters['och']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'och' found.")
    try:
        t_6 = environment.filters['procent']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'procent' found.")
    try:
        t_7 = environment.filters['rubriknivå']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'rubriknivå' found.")
    try:
        t_8 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    l_0_m = context.vars['m'] = environment.get_template('_makron.md.j2', 'genomforandeplan.md.j2')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_ns = environment.call(context, (undefined(name='namespace') if l_0_namespace is missing else l_0_namespace), tabell=0, figur=0)
    context.vars['ns'] = l_0_ns
    context.exported_vars.add('ns')
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'utkast'), (undefined(name='draft') if l_0_draft is missing else l_0_draft)))
    yield '\n[TOC]\n\n---\n\n# Sammanfattning\n\n'
    yield environment.finalize(environment.getattr((undefined(name='agency') if l_0_agency is missing else l_0_agency), 'name'))
    yield ' redovisar här sin plan för genomförande av uppdraget att främja Smart industri på regional nivå, enligt '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'beslutsreferens'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '.\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'illustrativt'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '\n\n'
    yield environment.finalize(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'sammanfattning'))
    yield '\n\n'
    template = environment.get_template('_uppdraget.md.j2', 'genomforandeplan.md.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'m': l_0_m, 'ns': l_0_ns}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n# Genomförande\n\n'
    yield environment.finalize(t_7(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'genomforande'), 1))
    yield '\n\n## Utlysning av medel\n\n'
    def t_9(fiter):
        for l_1_c in fiter:
            if (environment.getattr(environment.getattr(l_1_c, 'opens'), 'year') == environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'period'), 'start')):
                yield l_1_c
    t_10 = 1
    for l_1_c in t_9(environment.call(context, environment.budget_iter, (undefined(name='calls') if l_0_calls is missing else l_0_calls))):
        _loop_vars = {}
        pass
        yield '### '
        yield environment.finalize(environment.getattr(l_1_c, 'title'))
        yield '\n\nUtlysningen är öppen från den '
        yield environment.finalize(t_1(environment.getattr(l_1_c, 'opens')))
        yield ' till den '
        yield environment.finalize(t_1(environment.getattr(l_1_c, 'closes')))
        if (not t_8(environment.getattr(l_1_c, 'budget'))):
            pass
            yield ' och omfattar '
            yield environment.finalize(t_4(environment.getattr(l_1_c, 'budget')))
        yield '. Den gäller fokusområdena '
        yield environment.finalize(t_5(environment.getattr(l_1_c, 'focus_areas')))
        yield '.\n\n'
        if environment.getattr(l_1_c, 'eligible'):
            pass
            yield environment.finalize(environment.getattr(l_1_c, 'eligible'))
            yield '\n\n'
        t_10 = 0
    l_1_c = missing
    if t_10:
        pass
        yield 'Utlysningarna beskrivs i kommande delrapporter.\n\n'
    yield '## Fokusområden\n\nVarje insats som beviljas medel ska relatera till ett eller flera av fokusområdena i '
    yield environment.finalize(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'strategy'))
    yield ':\n\n'
    for l_1_a in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'focus_areas')):
        _loop_vars = {}
        pass
        yield '- '
        yield environment.finalize(environment.getattr(l_1_a, 'name'))
        yield '\n'
    l_1_a = missing
    yield '\n## Medfinansiering med regionalfondsprogrammen\n\nFör att möjliggöra större satsningar i linje med Smart industris ambitioner beaktar '
    yield environment.finalize(environment.getattr((undefined(name='agency') if l_0_agency is missing else l_0_agency), 'name'))
    yield ' möjligheterna att använda medlen som medfinansiering av insatser, bland annat inom ramen för regionalfondsprogrammen. Sökande uppmanas att beskriva hur insatsen samspelar med pågående eller planerade regionalfondsprojekt.\n\n# Tidplan\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Tidplan för genomförande och redovisning'))
    yield '\n| Datum | Aktivitet |\n|:---|:---|\n'
    for l_1_t in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'timeline')):
        _loop_vars = {}
        pass
        yield '| '
        yield environment.finalize(t_2(environment.getattr(l_1_t, 'date')))
        yield ' | '
        yield environment.finalize(environment.getattr(l_1_t, 'activity'))
        yield ' |\n'
    l_1_t = missing
    yield '\n# Budget\n\n'
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'budget'):
        pass
        yield 'Budgeten bygger på ramen för '
        yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'period'), 'start'))
        yield ' och de beräknade ramarna för följande år. De programanknutna kostnaderna håller sig inom taket på '
        yield environment.finalize(t_6(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'cap'), 0))
        yield ' av medlen varje år.\n\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), 'Budget per år', summa=True))
        yield '\n| År | Ram | Status | Utlysningar | Programanknutna kostnader | Andel av ramen |\n|:---|---:|:---|---:|---:|---:|\n'
        for l_1_r in environment.call(context, environment.budget_iter, environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'budget'), 'rows')):
            _loop_vars = {}
            pass
            yield '| '
            yield environment.finalize(environment.getattr(l_1_r, 'year'))
            yield ' | '
            yield environment.finalize(t_3(environment.getattr(l_1_r, 'frame')))
            yield ' | '
            yield environment.finalize(environment.getattr(l_1_r, 'status'))
            yield ' | '
            yield environment.finalize(t_3(environment.getattr(l_1_r, 'calls')))
            yield ' | '
            yield environment.finalize(t_3(environment.getattr(l_1_r, 'programme_costs')))
            yield ' | '
            yield environment.finalize(t_6(environment.getattr(l_1_r, 'share')))
            yield ' |\n'
        l_1_r = missing
        yield '| Totalt | '
        yield environment.finalize(t_3(environment.getattr(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'budget'), 'total'), 'frame')))
        yield ' | | '
        yield environment.finalize(t_3(environment.getattr(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'budget'), 'total'), 'calls')))
        yield ' | '
        yield environment.finalize(t_3(environment.getattr(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'budget'), 'total'), 'programme_costs')))
        yield ' | '
        yield environment.finalize(t_6(environment.getattr(environment.getattr(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'budget'), 'total'), 'share')))
        yield ' |\n\n'
        yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'avrundning')))
        yield '\n'
    yield '\n# Uppföljning och utvärdering\n\n'
    yield environment.finalize(t_7(environment.getattr((undefined(name='texts') if l_0_texts is missing else l_0_texts), 'uppfoljning'), 1))
    yield '\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'underskrift'), (undefined(name='agency') if l_0_agency is missing else l_0_agency)))
    yield '\n'

blocks = {}
debug_info = '1=67&2=69&3=72&10=74&11=78&13=80&15=82&19=89&23=91&24=100&26=102&28=112&29=114&38=122&40=124&41=128&46=132&50=134&53=136&54=140&59=146&60=149&62=153&65=155&66=159&68=173&70=181&75=184&77=186'
# Generated by tools/precompile_templates.py from the shipped template genomforandeplan.md.j2: do not edit.
# ruff: noqa
