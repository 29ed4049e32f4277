"""Stage 2, rules: the decision's terms as of a date (``terms``), the money in ``Decimal``
(``money``, ``ledger``), the decision's rules as findings (``decision``), one validation pass
(``validate``) and the deliverables' status (``status``)."""
