from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_ekonomi_ar.md.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_accounting = resolve('accounting')
    l_0_m = resolve('m')
    l_0_ns = resolve('ns')
    l_0_decision = resolve('decision')
    l_0_r = missing
    try:
        t_1 = environment.filters['kr']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'kr' found.")
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
    l_0_r = environment.getitem(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'rows'), 0)
    context.vars['r'] = l_0_r
    context.exported_vars.add('r')
    yield environment.finalize(environment.call(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tabell'), (undefined(name='ns') if l_0_ns is missing else l_0_ns), environment.concat_markdown(('Ekonomisk redovisning ', environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'year'), ), (True, False,))))
    yield '\n| Post | Belopp |\n|:---|---:|\n| Ram för '
    yield environment.finalize(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'year'))
    yield ' ('
    yield environment.finalize(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'frame_status'))
    yield ') | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'frame')))
    yield ' |\n| Ingående ej förbrukade medel från tidigare år | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'opening_balance')))
    yield ' |\n| Rekvirerat från '
    yield environment.finalize(environment.getattr(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'requisition'), 'authority'))
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'requisition_dates'):
        pass
        yield ' ('
        yield environment.finalize(t_3(t_2(context, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'requisition_dates'), 'iso')))
        yield ')'
    yield ' | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'requisitioned')))
    yield ' |\n| Beviljat till projekt ur '
    yield environment.finalize(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'year'))
    yield ' års medel | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'granted')))
    yield ' |\n| Utbetalt till projekt | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'disbursed')))
    yield ' |\n'
    if environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'has_recoveries'):
        pass
        yield '| Återkrav från projekt | '
        yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'recovered')))
        yield ' |\n'
    yield '| Programanknutna kostnader | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'programme_costs')))
    yield ' |\n| Programanknutna kostnader, andel av rekvirerade medel (högst '
    yield environment.finalize(t_4(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'cap'), 0))
    yield ') | '
    yield environment.finalize(t_4(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'cost_share')))
    yield ' |\n| Ej förbrukade medel vid årets slut | '
    yield environment.finalize(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'unspent')))
    yield ' |\n| Rekvirerade medel som ännu inte beviljats | '
    yield environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='accounting') if l_0_accounting is missing else l_0_accounting), 'total'), 'not_granted')))
    yield ' |\n'

blocks = {}
debug_info = '2=40&3=43&6=45&7=51&8=53&9=62&10=66&11=68&12=71&14=74&15=76&16=80&17=82'
# Generated by tools/precompile_templates.py from the shipped template _ekonomi_ar.md.j2: do not edit.
# ruff: noqa
