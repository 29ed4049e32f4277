from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_uppdraget.md.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_decision = resolve('decision')
    l_0_ns = resolve('ns')
    try:
        t_1 = environment.filters['datum']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'datum' found.")
    try:
        t_2 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_3 = environment.filters['och']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'och' found.")
    try:
        t_4 = environment.filters['procent']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'procent' found.")
    pass
    yield '# Uppdraget\n\nRegeringen gav genom '
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'beslutsreferens'), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield ' '
    yield environment.finalize(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'recipient'))
    yield ' i uppdrag att främja omställningen mot en smart industri på regional nivå och skapa goda förutsättningar för industrin i hela landet. Regeringens nyindustrialiseringsstrategi '
    yield environment.finalize(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'strategy'))
    yield ' ligger till grund för genomförandet.\n\nUppdraget syftar till att skapa förutsättningar så att industrin och industrinära tjänsteföretag i alla delar av landet kan öka sin konkurrenskraft och omställningsförmåga. Det ska ge strategin en tydlig regional förankring och därigenom ett mer kraftfullt genomförande, där den regionala nivåns roll stärks.\n\nUnder perioden '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'period'), 'start'))
    yield '–'
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'period'), 'end'))
    yield ' utlyser '
    yield environment.finalize(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'recipient'))
    yield ' medel till i första hand aktörer med regionalt utvecklingsansvar. Där det är lämpligt kan medel även beviljas andra aktörer, om insatsen är väl förankrad hos berörd regionalt utvecklingsansvarig aktör. Insatserna ska relatera till något eller några av de områden som '
    yield environment.finalize(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'strategy'))
    yield ' har pekat ut: '
    yield environment.finalize(t_3(t_2(context, environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'focus_areas'), attribute='name')))
    yield '.\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'predecessor'):
        pass
        yield '\nUppdraget är en fortsättning och en uppskalning av det tidigare uppdraget att främja nyindustrialisering på regional nivå ('
        yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'predecessor'), 'diarienummer'))
        yield '). Medlen kan användas för att stärka och utveckla de åtgärder som tidigare förstudier resulterat i.\n'
    yield '\n## Ekonomiska ramar och villkor\n\n'
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'ramtabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), (undefined(name='decision') if l_0_decision is missing else l_0_decision)))
    yield '\n\nVillkoren för medlen enligt beslutet:\n\n- Medlen rekvireras från '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'requisition'), 'authority'))
    yield ' senast den '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'requisition'), 'deadline'))
    yield ' respektive år, med hänvisning till beslutets diarienummer '
    yield environment.finalize(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'diarienummer'))
    yield '.\n- Högst '
    yield environment.finalize(t_4(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'cap'), 0))
    yield ' av medlen får användas till programanknutna kostnader.\n- Utgifterna belastar utgiftsområde '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'appropriation'), 'expenditure_area'))
    yield ', anslaget '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'appropriation'), 'appropriation'))
    yield ', anslagsposten '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'appropriation'), 'item'))
    yield '.\n- Ej förbrukade medel återbetalas till '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'to'))
    yield ' senast den '
    yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'deadline')))
    yield ' på bankgirokonto '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'repayment'), 'bankgiro'))
    yield ', med angivande av beslutets diarienummer.\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'amendments'):
        pass
        yield '\n## Ändringar i uppdraget\n\n'
        for l_1_a in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'amendments')):
            _loop_vars = {}
            pass
            yield '- Den '
            yield environment.finalize(t_1(environment.getattr(l_1_a, 'date')))
            yield ' ('
            yield environment.finalize(environment.getattr(l_1_a, 'diarienummer'))
            yield '): '
            yield environment.finalize(environment.getattr(l_1_a, 'description'))
            yield '.\n'
        l_1_a = missing
    yield '\n## Redovisning till regeringen\n\n'
    for l_1_x in environment.call(context, environment.budget_iter, environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'deliverables')):
        _loop_vars = {}
        pass
        yield '- '
        yield environment.finalize(environment.getattr(l_1_x, 'title'))
        if (environment.getattr(l_1_x, 'kind') == 'delrapport'):
            pass
            yield ', med ekonomisk redovisning av '
            yield environment.finalize(t_3(environment.getattr(l_1_x, 'accounting_years')))
            yield ' års medel,'
        elif (environment.getattr(l_1_x, 'kind') == 'slutredovisning'):
            pass
            yield ', med redovisning av hur medlen har använts och en utvärdering av resultat och effekter,'
        yield ' senast den '
        yield environment.finalize(t_1(environment.getattr(l_1_x, 'due')))
        yield '.\n'
    l_1_x = missing

blocks = {}
debug_info = '4=39&8=45&9=55&11=58&16=61&20=63&21=69&22=71&23=77&24=83&28=86&29=90&35=98&36=102'
# Generated by tools/precompile_templates.py from the shipped template _uppdraget.md.j2: do not edit.
# ruff: noqa
