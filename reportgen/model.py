"""The domain's types: the government decision, the agency's programme and the money records.

Models are frozen pydantic models. Their validators raise errors whose messages say what was
expected and what was found; :mod:`reportgen.inputs` turns those into located findings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

OERE = Decimal("0.01")

COUNTIES: dict[str, str] = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län", "05": "Östergötlands län",
    "06": "Jönköpings län", "07": "Kronobergs län", "08": "Kalmar län", "09": "Gotlands län",
    "10": "Blekinge län", "12": "Skåne län", "13": "Hallands län", "14": "Västra Götalands län",
    "17": "Värmlands län", "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
    "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län", "24": "Västerbottens län",
    "25": "Norrbottens län",
}

ORGANISATION_KINDS = ("regional", "other")
PROJECT_STATUSES = ("granted", "ongoing", "completed", "cancelled")
DELIVERABLE_KINDS = ("genomforandeplan", "delrapport", "slutredovisning")
COST_KINDS = ("Personal", "Utvärdering", "Kommunikation", "Administration", "Övrigt")
COFINANCING_SOURCES = ("Regionalfonden", "Region", "Kommun", "Näringsliv", "Statlig", "Övrigt")

MAX_TITLE = 300
MAX_TEXT = 50_000


def _found(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def did_you_mean(value: Any, choices: list[str] | tuple[str, ...]) -> str:
    if not isinstance(value, str):
        return ""
    by_fold = {c.casefold(): c for c in choices}
    if value.casefold() in by_fold:
        return f"; did you mean '{by_fold[value.casefold()]}'?"
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# --- value types -------------------------------------------------------------------------

def parse_money(value: Any) -> Decimal:
    """An amount in kronor with at most öre precision, never via binary floating point."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, dt.date)):
        raise PydanticCustomError("money", "expected an amount in kronor, found {found}", {"found": _found(value)})
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, float):
        # Excel stores numbers as binary doubles: 123456.5 arrives as the nearest double. The shortest
        # repr gives back what the user typed; anything finer than öre after that is noise or an error.
        amount = Decimal(repr(value))
        rounded = amount.quantize(OERE) if amount.is_finite() else amount
        if amount.is_finite() and abs(amount - rounded) < Decimal("0.000001"):
            amount = rounded
    elif isinstance(value, str):
        text = value.strip()
        for token in ("\u00a0", "\u202f", "\u2009", " ", "kr", "SEK"):
            text = text.replace(token, "")
        text = text.replace("\u2212", "-")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "money", "expected an amount in kronor (e.g. 125000 or 125 000,50), found {found}",
                {"found": _found(value)}) from None
    else:
        raise PydanticCustomError("money", "expected an amount in kronor, found {found}", {"found": _found(value)})
    if not amount.is_finite():
        raise PydanticCustomError("money", "expected a finite amount, found {found}", {"found": _found(value)})
    if amount != amount.quantize(OERE):
        raise PydanticCustomError("money", "expected at most two decimals (öre), found {found}",
                                  {"found": str(amount)})
    if amount < 0:
        raise PydanticCustomError("money_negative", "expected an amount of zero or more, found {found}",
                                  {"found": str(amount)})
    return amount.quantize(OERE)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _ISO_DATE.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise PydanticCustomError(
                    "date_impossible", "{found} is not a date that exists ({reason})",
                    {"found": _found(value), "reason": _why_impossible(year, month, day)}) from None
        raise PydanticCustomError("date", "expected a date as YYYY-MM-DD, found {found}", {"found": _found(value)})
    raise PydanticCustomError("date", "expected a date as YYYY-MM-DD, found {found}", {"found": _found(value)})


def _why_impossible(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    import calendar

    last = calendar.monthrange(year, month)[1]
    return f"month {month} of {year} has {last} days"


def parse_year(value: Any) -> int:
    if isinstance(value, bool):
        raise PydanticCustomError("year", "expected a year such as 2019, found {found}", {"found": _found(value)})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1900 <= value <= 2100:
        raise PydanticCustomError("year", "expected a year such as 2019, found {found}", {"found": _found(value)})
    return value


def parse_count(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("count", "expected a whole number, found {found}", {"found": _found(value)})
    if value < 0:
        raise PydanticCustomError("count", "expected a whole number of zero or more, found {found}",
                                  {"found": _found(value)})
    return value


def parse_percent(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
        raise PydanticCustomError("percent", "expected a percentage such as 40, found {found}", {"found": _found(value)})
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        pct = Decimal(repr(value)) if isinstance(value, float) else Decimal(text)
    except InvalidOperation:
        raise PydanticCustomError("percent", "expected a percentage such as 40, found {found}",
                                  {"found": _found(value)}) from None
    if not pct.is_finite() or not 0 <= pct <= 100:
        raise PydanticCustomError("percent", "expected a percentage from 0 to 100, found {found}",
                                  {"found": _found(value)})
    return pct


def parse_text(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text", "expected text, found {found}", {"found": _found(value)})
    return value.strip()


def _bounded_text(limit: int):
    def check(value: Any) -> str:
        text = parse_text(value)
        if len(text) > limit:
            raise PydanticCustomError("text_too_long", "expected at most {limit} characters, found {n}",
                                      {"limit": limit, "n": len(text)})
        return text
    return check


def parse_county(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:02d}"
    if isinstance(value, str):
        code = value.strip()
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        if code in COUNTIES:
            return code
        by_name = {name.casefold(): c for c, name in COUNTIES.items()}
        by_name.update({name.casefold().removesuffix(" län"): c for c, name in COUNTIES.items()})
        hit = by_name.get(code.casefold())
        if hit is None:
            close = difflib.get_close_matches(code.casefold(), list(by_name), n=1, cutoff=0.75)
            hit = by_name[close[0]] if close else None
        if hit:
            raise PydanticCustomError("county", "expected a county code (länskod 01–25), found {found}; "
                                      "did you mean '{code}' ({name})?",
                                      {"found": _found(value), "code": hit, "name": COUNTIES[hit]})
    raise PydanticCustomError("county", "expected a county code (länskod: {codes}), found {found}",
                              {"found": _found(value), "codes": ", ".join(COUNTIES)})


def _choice(choices: tuple[str, ...], what: str):
    def check(value: Any) -> str:
        if isinstance(value, str) and value.strip() in choices:
            return value.strip()
        raise PydanticCustomError(
            "choice", "expected {what} (one of {choices}), found {found}{hint}",
            {"what": what, "choices": ", ".join(choices), "found": _found(value), "hint": did_you_mean(value, choices)})
    return check


_DNR = re.compile(r"^[A-ZÅÄÖ]{1,4}\s?\d{4}[/-]\d{1,6}(?:[/-][0-9A-ZÅÄÖa-zåäö\-]+)*$")


def parse_diarienummer(value: Any) -> str:
    text = parse_text(value)
    if not _DNR.match(text):
        raise PydanticCustomError("diarienummer", "expected a diarienummer such as N2018/01234/FÖF, found {found}",
                                  {"found": _found(value)})
    return text


_BANKGIRO = re.compile(r"^\d{3,4}-\d{4}$")


def parse_bankgiro(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
        value = f"{value[:-4]}-{value[-4:]}"
    text = parse_text(value) if not isinstance(value, str) else value.strip()
    if not _BANKGIRO.match(text):
        raise PydanticCustomError("bankgiro", "expected a bankgiro number such as 5052-5781, found {found}",
                                  {"found": _found(value)})
    return text


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")


def parse_identifier(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = parse_text(value)
    if not _ID.match(text):
        raise PydanticCustomError("identifier", "expected an id of letters, digits, '.', '-' or '_', found {found}",
                                  {"found": _found(value)})
    return text


def parse_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    hint = ""
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "on", "off", "ja", "nej", "y", "n"):
        hint = "; write true or false"
    raise PydanticCustomError("flag", "expected true or false, found {found}{hint}", {"found": _found(value), "hint": hint})


Money = Annotated[Decimal, BeforeValidator(parse_money)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Year = Annotated[int, BeforeValidator(parse_year)]
Count = Annotated[int, BeforeValidator(parse_count)]
Percent = Annotated[Decimal, BeforeValidator(parse_percent)]
Text = Annotated[str, BeforeValidator(_bounded_text(MAX_TITLE))]
MarkdownText = Annotated[str, BeforeValidator(_bounded_text(MAX_TEXT))]
CountyCode = Annotated[str, BeforeValidator(parse_county)]
Diarienummer = Annotated[str, BeforeValidator(parse_diarienummer)]
Bankgiro = Annotated[str, BeforeValidator(parse_bankgiro)]
Identifier = Annotated[str, BeforeValidator(parse_identifier)]
Flag = Annotated[bool, BeforeValidator(parse_flag)]
OrganisationKind = Annotated[str, BeforeValidator(_choice(ORGANISATION_KINDS, "an organisation kind"))]
ProjectStatus = Annotated[str, BeforeValidator(_choice(PROJECT_STATUSES, "a project status"))]
DeliverableKind = Annotated[str, BeforeValidator(_choice(DELIVERABLE_KINDS, "a kind of deliverable"))]
FrameStatus = Annotated[str, BeforeValidator(_choice(("decided", "estimated"), "a frame status"))]
CostKind = Annotated[str, BeforeValidator(_choice(COST_KINDS, "a kind of programme-related cost"))]
CofinancingSource = Annotated[str, BeforeValidator(_choice(COFINANCING_SOURCES, "a co-financing source"))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the decision --------------------------------------------------------------------------

class Predecessor(Strict):
    diarienummer: Diarienummer
    description: Text


class YearPeriod(Strict):
    start: Year
    end: Year

    @model_validator(mode="after")
    def _ordered(self) -> "YearPeriod":
        if self.end < self.start:
            raise PydanticCustomError("period", "the period ends ({end}) before it starts ({start})",
                                      {"start": self.start, "end": self.end})
        return self


class DatePeriod(Strict):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> "DatePeriod":
        if self.end < self.start:
            raise PydanticCustomError("period", "the period ends ({end}) before it starts ({start})",
                                      {"start": self.start.isoformat(), "end": self.end.isoformat()})
        return self


class Appropriation(Strict):
    expenditure_area: Text
    appropriation: Text
    item: Text


class Frame(Strict):
    year: Year
    amount: Money
    status: FrameStatus


class MonthDay(Strict):
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


class RequisitionTerms(Strict):
    from_: Text = Field(alias="from")
    deadline: MonthDay
    reference_required: Flag = True


class RepaymentTerms(Strict):
    to: Text
    deadline: Date
    bankgiro: Bankgiro
    reference_required: Flag = True


class FocusArea(Strict):
    id: Identifier
    name: Text


class Deliverable(Strict):
    id: Identifier
    kind: DeliverableKind
    title: Text
    due: Date
    period: DatePeriod
    accounting_years: list[Year] = []
    evaluation_required: Flag = False


class Person(Strict):
    name: Text
    role: Text


class Amendment(Strict):
    diarienummer: Diarienummer
    date: Date
    description: Text
    deliverable_due: dict[str, Date] = {}
    frames: list[Frame] = []
    repayment_deadline: Date | None = None
    period_end: Year | None = None


class Decision(Strict):
    diarienummer: Diarienummer
    diarienummer_illustrative: Flag = False
    title: Text
    date: Date
    ministry: Text
    recipient: Text
    report_to: Text
    strategy: Text | None = None
    predecessor: Predecessor | None = None
    period: YearPeriod
    appropriation: Appropriation
    frames: list[Frame]
    programme_cost_cap_percent: Percent
    requisition: RequisitionTerms
    repayment: RepaymentTerms
    focus_areas: list[FocusArea]
    deliverables: list[Deliverable]
    signatories: list[Person] = []
    copies: list[Text] = []
    amendments: list[Amendment] = []


# --- the programme -------------------------------------------------------------------------

class Contact(Strict):
    name: Text
    title: Text
    email: Text | None = None
    phone: Text | None = None


class Signer(Strict):
    name: Text
    title: Text


class Agency(Strict):
    name: Text
    unit: Text | None = None
    case_number: Text
    city: Text | None = None
    contact: Contact
    signatory: Signer | None = None
    rapporteur: Signer | None = None


class Call(Strict):
    id: Identifier
    title: Text
    opens: Date
    closes: Date
    budget: Money
    focus_areas: list[Identifier] = []
    eligible: MarkdownText | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Call":
        if self.closes < self.opens:
            raise PydanticCustomError("period", "the call closes ({closes}) before it opens ({opens})",
                                      {"opens": self.opens.isoformat(), "closes": self.closes.isoformat()})
        return self


class Share(Strict):
    """A county or focus area of a project, with an optional percent share."""

    code: str
    share: Percent | None = None


def _share_of(parser):
    def check(value: Any) -> Any:
        if isinstance(value, dict):
            unknown = set(value) - {"code", "id", "share"}
            if unknown:
                raise PydanticCustomError("share_keys", "unknown key {keys}; expected 'code' (or 'id') and 'share'",
                                          {"keys": ", ".join(sorted(map(str, unknown)))})
            code = value.get("code", value.get("id"))
            if code is None:
                raise PydanticCustomError("share_keys", "missing 'code'", {})
            return {"code": parser(code), "share": value.get("share")}
        return {"code": parser(value), "share": None}
    return check


CountyShare = Annotated[Share, BeforeValidator(_share_of(parse_county))]
AreaShare = Annotated[Share, BeforeValidator(_share_of(parse_identifier))]


class Owner(Strict):
    name: Text
    kind: OrganisationKind
    anchoring: MarkdownText | None = None
    org_number: Text | None = None


class Indicators(Strict):
    companies: Count | None = None
    smes: Count | None = None
    companies_non_financial: Count | None = None
    new_companies: Count | None = None
    participants_women: Count | None = None
    participants_men: Count | None = None
    activities: Count | None = None

    @model_validator(mode="after")
    def _smes_within_companies(self) -> "Indicators":
        if self.smes is not None and self.companies is not None and self.smes > self.companies:
            raise PydanticCustomError("indicators", "smes ({smes}) cannot exceed companies ({companies})",
                                      {"smes": self.smes, "companies": self.companies})
        return self


def _shares_add_up(items: list[Share], what: str) -> None:
    given = [s.share for s in items if s.share is not None]
    if given and len(given) != len(items):
        raise PydanticCustomError("shares", "give a share for every {what} or for none", {"what": what})
    if given and sum(given) != 100:
        raise PydanticCustomError("shares", "the {what} shares add up to {total} %, expected 100 %",
                                  {"what": what, "total": str(sum(given))})
    codes = [s.code for s in items]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise PydanticCustomError("shares", "{what} '{code}' is listed twice", {"what": what, "code": dupes[0]})


class Project(Strict):
    id: Identifier
    title: Text
    call: Identifier | None = None
    owner: Owner
    counties: list[CountyShare]
    focus_areas: list[AreaShare]
    start: Date
    end: Date
    status: ProjectStatus
    summary: MarkdownText | None = None
    continues: Text | None = None
    indicators: Indicators | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Project":
        if self.end < self.start:
            raise PydanticCustomError("period", "the project ends ({end}) before it starts ({start})",
                                      {"start": self.start.isoformat(), "end": self.end.isoformat()})
        if not self.counties:
            raise PydanticCustomError("counties", "expected at least one county", {})
        _shares_add_up(self.counties, "county")
        _shares_add_up(self.focus_areas, "focus area")
        return self


class Evaluation(Strict):
    evaluator: Text
    external: Flag = True
    period: DatePeriod | None = None
    method: MarkdownText
    findings: list[MarkdownText]
    effects: MarkdownText
    recommendations: list[MarkdownText] = []


class PlannedYear(Strict):
    year: Year
    calls: Money  # to be announced in calls for proposals
    programme_costs: Money


class Milestone(Strict):
    date: Date
    activity: Text


class Plan(Strict):
    """The implementation plan's budget and milestones, as planned in early 2018."""

    budget: list[PlannedYear] = []
    milestones: list[Milestone] = []


class Programme(Strict):
    agency: Agency
    plan: Plan | None = None
    texts: dict[str, dict[str, MarkdownText]] = {}
    calls: list[Call] = []
    projects: list[Project]
    evaluation: Evaluation | None = None


# --- money records (finances.xlsx) ---------------------------------------------------------

class Record(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    # The place of each field's cell; set by the loader, not validated.
    places: dict[str, Any] = Field(default_factory=dict, exclude=True, repr=False)
    row: Any = Field(default=None, exclude=True, repr=False)

    def where(self, field: str | None = None) -> Any:
        if field and field in self.places:
            return self.places[field]
        return self.row


class Requisition(Record):
    year: Year
    date: Date
    amount: Money
    reference: Text | None = None


class Grant(Record):
    project: Identifier
    year: Year
    decided: Date
    amount: Money
    comment: Text | None = None


class Disbursement(Record):
    project: Identifier
    date: Date
    amount: Money
    voucher: Text | None = None


class ProgrammeCost(Record):
    year: Year
    date: Date
    kind: CostKind
    amount: Money
    description: Text | None = None


class CoFinancing(Record):
    project: Identifier
    source: CofinancingSource
    amount: Money


class Repayment(Record):
    date: Date
    amount: Money
    bankgiro: Bankgiro
    reference: Text | None = None


class Finances(BaseModel):
    model_config = ConfigDict(frozen=True)
    requisitions: list[Requisition] = []
    grants: list[Grant] = []
    disbursements: list[Disbursement] = []
    programme_costs: list[ProgrammeCost] = []
    cofinancing: list[CoFinancing] = []
    repayments: list[Repayment] = []
