"""The domain's types: the government decision, the agency's programme and the money records.

Models are frozen pydantic models. Their validators raise errors whose messages say what was
expected and what was found; :mod:`reportgen.inputs.load` turns those into located findings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reportgen.findings import excerpt

OERE = Decimal("0.01")
MAX_MONEY = Decimal(10) ** 12  # a thousand billion kronor: more than any programme, far within Decimal's precision
_MAX_MONEY_INT = 10**12

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
FRAME_STATUSES = ("decided", "estimated")
# The common kinds of programme-related cost: the Excel template offers them in a drop-down, but
# Kostnadsslag is the agency's own text (its accounting's names) and any label is accepted as written.
COST_KINDS = ("Personal", "Utvärdering", "Kommunikation", "Administration", "Övrigt")
# "Egen finansiering" is the project owner's own funds: distinct from a region's funds ("Region",
# when the owner is not the region) and from companies' funds ("Näringsliv").
COFINANCING_SOURCES = ("Regionalfonden", "Region", "Kommun", "Näringsliv", "Statlig", "Egen finansiering", "Övrigt")
# Co-financing rows are planned (Budget) or actual (Utfall); a row without Typ is planned.
COFINANCING_KINDS = ("Budget", "Utfall")

MAX_TITLE = 300
MAX_TEXT = 50_000


def _found(value: Any) -> str:
    if isinstance(value, str):
        return excerpt(value)
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
    kind = value.__class__
    # The common kinds first, by exact class (a bool is an int but no amount); the rest as before.
    if kind is int:
        amount = Decimal(value)
    elif kind is float:
        amount = _from_double(value)
    elif isinstance(value, bool) or value is None or isinstance(value, (list, dict, dt.date)):
        raise PydanticCustomError("money", "expected an amount in kronor, found {found}", {"found": _found(value)})
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, float):
        amount = _from_double(value)
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
    if abs(amount) >= MAX_MONEY:  # also keeps quantize() within the decimal context's precision
        raise PydanticCustomError("money", "expected an amount below 1 000 000 000 000 kr, found {found}",
                                  {"found": _found(value) if isinstance(value, str) else str(value)})
    in_oere = amount.quantize(OERE)  # once: finances.xlsx has 90 000 amounts at 10 000 projects
    if amount != in_oere:
        raise PydanticCustomError("money", "expected at most two decimals (öre), found {found}",
                                  {"found": str(amount)})
    if amount < 0:
        raise PydanticCustomError("money_negative", "expected an amount of zero or more, found {found}",
                                  {"found": str(amount)})
    return in_oere


_NOISE = Decimal("0.000001")


def _from_double(value: float) -> Decimal:
    # Excel stores numbers as binary doubles: 123456.5 arrives as the nearest double. The shortest
    # repr gives back what the user typed; anything finer than öre after that is noise or an error.
    amount = Decimal(repr(value))
    if amount.is_finite() and abs(amount) < MAX_MONEY:
        rounded = amount.quantize(OERE)
        if abs(amount - rounded) < _NOISE:
            return rounded
    return amount


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
            year, month, day = map(int, match.groups())
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
    # isdigit() alone also admits digits int() refuses (superscripts: '²') or reads as another
    # script's numerals; a year here is written in ASCII digits.
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
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


def bounded_text(limit: int):
    def check(value: Any) -> str:
        text = value.strip() if value.__class__ is str else parse_text(value)
        if len(text) > limit:
            raise PydanticCustomError("text_too_long", "expected at most {limit} characters, found {n}",
                                      {"limit": limit, "n": len(text)})
        return text
    return check


def _label(limit: int):
    """A free label (text or a number typed in a cell), kept as written apart from surrounding spaces."""
    bounded = bounded_text(limit)

    def check(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # An account number typed as a number cell (4010, which a sheet may hand over as 4010.0).
            value = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        text = bounded(value)
        if not text:
            raise PydanticCustomError("text", "expected a label, found only spaces", {})
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


def choice(choices: tuple[str, ...], what: str):
    """The parser of a value that must be one of ``choices`` (surrounding blanks allowed)."""
    def parse(value: Any) -> str:
        if isinstance(value, str) and value.strip() in choices:
            return value.strip()
        raise PydanticCustomError(
            "choice", "expected {what} (one of {choices}), found {found}{hint}",
            {"what": what, "choices": ", ".join(choices), "found": _found(value), "hint": did_you_mean(value, choices)})
    return parse


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


# What the YAML may hold, as JSON Schema (for `reportgen schema` and editors). The parsers above
# stay the judges: these only describe, for the inputs, the forms the parsers accept.

def _schema(schema: dict) -> WithJsonSchema:
    return WithJsonSchema(schema)


_MONEY_SCHEMA = {
    "description": "An amount in kronor, zero or more, at most two decimals (öre): 20000000 or \"20 000 000\" "
                   "or \"125 000,50\".",
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*[0-9][0-9\s]*([.,][0-9]{1,2})?\s*(kr|SEK)?\s*$"},
    ],
}
_DATE_SCHEMA = {"description": "A date as YYYY-MM-DD.", "type": "string", "format": "date"}
_YEAR_SCHEMA = {
    "description": "A year such as 2019.",
    "anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2100},
              {"type": "string", "pattern": r"^\s*[0-9]{4}\s*$"}],
}
_COUNT_SCHEMA = {"description": "A whole number, zero or more.", "type": "integer", "minimum": 0}
_PERCENT_SCHEMA = {
    "description": "A percentage from 0 to 100, such as 40 or \"12,5 %\".",
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 100},
              {"type": "string", "pattern": r"^\s*[0-9]+([.,][0-9]+)?\s*%?\s*$"}],
}
_COUNTY_SCHEMA = {
    "description": "A county code (länskod), quoted: " + ", ".join(f"{c} {n}" for c, n in COUNTIES.items())
                   + ". A plain number such as 1 is read as \"01\".",
    "anyOf": [{"type": "string", "enum": list(COUNTIES)},
              {"type": "integer", "enum": [int(c) for c in COUNTIES]}],
}
_IDENTIFIER_SCHEMA = {
    "description": "An id of letters, digits, '.', '-' or '_' (at most 64 characters).",
    "anyOf": [{"type": "string", "pattern": _ID.pattern}, {"type": "integer", "minimum": 0}],
}


def _text_schema(limit: int, markdown: bool = False) -> dict:
    if markdown:
        return {"description": "Markdown text.", "type": "string", "maxLength": limit,
                "contentMediaType": "text/markdown"}
    return {"type": "string", "maxLength": limit}


def _choice_schema(choices: tuple[str, ...], what: str) -> dict:
    return {"description": f"{what[0].upper()}{what[1:]}: one of {', '.join(choices)}.", "type": "string",
            "enum": list(choices)}


Money = Annotated[Decimal, BeforeValidator(parse_money), _schema(_MONEY_SCHEMA)]
Date = Annotated[dt.date, BeforeValidator(parse_date), _schema(_DATE_SCHEMA)]
Year = Annotated[int, BeforeValidator(parse_year), _schema(_YEAR_SCHEMA)]
Count = Annotated[int, BeforeValidator(parse_count), _schema(_COUNT_SCHEMA)]
Percent = Annotated[Decimal, BeforeValidator(parse_percent), _schema(_PERCENT_SCHEMA)]
Text = Annotated[str, BeforeValidator(bounded_text(MAX_TITLE)), _schema(_text_schema(MAX_TITLE))]
MarkdownText = Annotated[str, BeforeValidator(bounded_text(MAX_TEXT)), _schema(_text_schema(MAX_TEXT, markdown=True))]
CountyCode = Annotated[str, BeforeValidator(parse_county), _schema(_COUNTY_SCHEMA)]
Diarienummer = Annotated[str, BeforeValidator(parse_diarienummer), _schema(
    {"description": "A diarienummer such as N2018/01234/FÖF.", "type": "string", "pattern": _DNR.pattern})]
Bankgiro = Annotated[str, BeforeValidator(parse_bankgiro), _schema(
    {"description": "A bankgiro number such as 5052-5781.",
     "anyOf": [{"type": "string", "pattern": r"^\s*[0-9]{3,4}-[0-9]{4}\s*$"},
               {"type": "integer", "minimum": 1000000, "maximum": 99999999}]})]
Identifier = Annotated[str, BeforeValidator(parse_identifier), _schema(_IDENTIFIER_SCHEMA)]
Flag = Annotated[bool, BeforeValidator(parse_flag), _schema({"type": "boolean"})]
OrganisationKind = Annotated[str, BeforeValidator(choice(ORGANISATION_KINDS, "an organisation kind")), _schema(
    _choice_schema(ORGANISATION_KINDS, "the kind of organisation (regional: an actor with regional development "
                                       "responsibility)"))]
ProjectStatus = Annotated[str, BeforeValidator(choice(PROJECT_STATUSES, "a project status")), _schema(
    _choice_schema(PROJECT_STATUSES, "the project's status"))]
DeliverableKind = Annotated[str, BeforeValidator(choice(DELIVERABLE_KINDS, "a kind of deliverable")), _schema(
    _choice_schema(DELIVERABLE_KINDS, "the kind of deliverable"))]
FrameStatus = Annotated[str, BeforeValidator(choice(FRAME_STATUSES, "a frame status")), _schema(
    _choice_schema(FRAME_STATUSES, "the frame's status"))]
CostKind = Annotated[str, BeforeValidator(_label(MAX_TITLE)), _schema(
    {"description": "The agency's own name for the kind of cost, shown as written; common ones: "
                    + ", ".join(COST_KINDS) + ".", "type": "string", "minLength": 1, "maxLength": MAX_TITLE})]
CofinancingSource = Annotated[str, BeforeValidator(choice(COFINANCING_SOURCES, "a co-financing source")), _schema(
    _choice_schema(COFINANCING_SOURCES, "the co-financing source"))]
CofinancingKind = Annotated[str, BeforeValidator(choice(COFINANCING_KINDS, "Budget (planned) or Utfall (actual)")),
                            _schema(_choice_schema(COFINANCING_KINDS, "planned (Budget) or actual (Utfall)"))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the decision --------------------------------------------------------------------------

class Predecessor(Strict):
    diarienummer: Diarienummer = Field(description="The earlier decision's diarienummer.")
    description: Text = Field(description="What the earlier assignment was.")


class YearPeriod(Strict):
    start: Year = Field(description="The first year.")
    end: Year = Field(description="The last year (at or after start).")

    @model_validator(mode="after")
    def _ordered(self) -> YearPeriod:
        if self.end < self.start:
            raise PydanticCustomError("period", "the period ends ({end}) before it starts ({start})",
                                      {"start": self.start, "end": self.end})
        return self


class DatePeriod(Strict):
    start: Date = Field(description="The first day.")
    end: Date = Field(description="The last day (at or after start).")

    @model_validator(mode="after")
    def _ordered(self) -> DatePeriod:
        if self.end < self.start:
            raise PydanticCustomError("period", "the period ends ({end}) before it starts ({start})",
                                      {"start": self.start.isoformat(), "end": self.end.isoformat()})
        return self


class Appropriation(Strict):
    expenditure_area: Text = Field(description="The expenditure area (utgiftsområde), e.g. '24 Näringsliv'.")
    appropriation: Text = Field(description="The appropriation (anslag), e.g. '1:5 Näringsutveckling m.m.'.")
    item: Text = Field(description="The appropriation item (anslagspost).")


class Frame(Strict):
    year: Year = Field(description="The year the frame is for.")
    amount: Money = Field(description="The funds that may be requisitioned for the year, in kronor.")
    status: FrameStatus = Field(
        description="decided when the decision grants the funds, estimated when it only forecasts them.")


class MonthDay(Strict):
    month: Annotated[int, Field(ge=1, le=12)] = Field(description="The month, 1–12.")
    day: Annotated[int, Field(ge=1, le=31)] = Field(description="The day of the month, 1–31.")

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


class RequisitionTerms(Strict):
    from_: Text = Field(alias="from", description="Who the funds are requisitioned from, e.g. Kammarkollegiet.")
    deadline: MonthDay = Field(
        description="The last day of each year by which that year's funds must be requisitioned.")
    reference_required: Flag = Field(True, description="Whether a requisition must cite the decision's diarienummer.")


class RepaymentTerms(Strict):
    to: Text = Field(description="Who unspent funds are repaid to.")
    deadline: Date = Field(description="The last day for repaying unspent funds.")
    bankgiro: Bankgiro = Field(description="The bankgiro number repayments go to.")
    reference_required: Flag = Field(True, description="Whether a repayment must cite the decision's diarienummer.")


class FocusArea(Strict):
    id: Identifier = Field(description="The focus area's id, used in programme.yaml.")
    name: Text = Field(description="The focus area's name as the reports print it.")


class Deliverable(Strict):
    id: Identifier = Field(description="The deliverable's id (used in programme.yaml texts and on the command line).")
    kind: DeliverableKind = Field(description="What kind of report it is; it chooses the template.")
    title: Text = Field(description="The report's title.")
    due: Date = Field(description="The day the report is due at the latest.")
    period: DatePeriod = Field(description="The period the report covers.")
    accounting_years: list[Year] = Field([], description="The years whose funds the report accounts for.")
    evaluation_required: Flag = Field(
        False, description="Whether the report must include the evaluation (programme.yaml evaluation).")


class Person(Strict):
    name: Text = Field(description="The person's name.")
    role: Text = Field(description="The person's role, e.g. Näringsminister.")


class Amendment(Strict):
    diarienummer: Diarienummer = Field(description="The amending decision's diarienummer.")
    date: Date = Field(description="The amending decision's date; it takes effect from then.")
    description: Text = Field(description="What the amendment does.")
    deliverable_due: dict[str, Date] = Field({}, description="New due dates, by deliverable id.")
    frames: list[Frame] = Field([], description="Frames that replace the original ones for their years.")
    repayment_deadline: Date | None = Field(None, description="A new deadline for repaying unspent funds.")
    period_end: Year | None = Field(None, description="A new last year of the period.")


class Decision(Strict):
    diarienummer: Diarienummer = Field(description="The decision's own diarienummer.")
    diarienummer_illustrative: Flag = Field(
        False, description="true when the diarienummer and date are made up (the reports then say so).")
    title: Text = Field(description="The decision's title.")
    date: Date = Field(description="The date of the decision.")
    ministry: Text = Field(description="The ministry that decided.")
    recipient: Text = Field(description="The agency given the assignment.")
    report_to: Text = Field(description="Who the reports are addressed to.")
    strategy: Text | None = Field(None, description="The strategy the assignment serves.")
    predecessor: Predecessor | None = Field(None, description="The earlier assignment this one continues.")
    period: YearPeriod = Field(description="The years of the assignment.")
    appropriation: Appropriation = Field(description="Where in the state budget the funds come from.")
    frames: list[Frame] = Field(description="The funds per year of the period, one entry per year.")
    programme_cost_cap_percent: Percent = Field(
        description="At most this share of the funds may go to programme-related costs.")
    requisition: RequisitionTerms = Field(description="How and by when funds are requisitioned.")
    repayment: RepaymentTerms = Field(description="How and by when unspent funds are repaid.")
    focus_areas: list[FocusArea] = Field(description="The focus areas every project must relate to.")
    deliverables: list[Deliverable] = Field(description="The reports the decision demands.")
    signatories: list[Person] = Field([], description="Who signed the decision.")
    copies: list[Text] = Field([], description="Who received a copy of the decision.")
    amendments: list[Amendment] = Field([], description="Later decisions that change this one.")


# --- the programme -------------------------------------------------------------------------

class Contact(Strict):
    name: Text = Field(description="The contact person's name.")
    title: Text = Field(description="The contact person's title.")
    email: Text | None = Field(None, description="An e-mail address.")
    phone: Text | None = Field(None, description="A telephone number (quote it).")


class Signer(Strict):
    name: Text = Field(description="The person's name.")
    title: Text = Field(description="The person's title, e.g. Generaldirektör.")


class Agency(Strict):
    name: Text = Field(description="The agency's name.")
    unit: Text | None = Field(None, description="The unit responsible for the assignment.")
    case_number: Text = Field(description="The agency's own diarienummer for the assignment.")
    city: Text | None = Field(None, description="The city the reports are dated in.")
    contact: Contact = Field(description="The contact person printed in the reports.")
    signatory: Signer | None = Field(None, description="Who decides (signs) the reports.")
    rapporteur: Signer | None = Field(None, description="Who presents (föredrar) the reports.")


class Call(Strict):
    id: Identifier = Field(description="The call's id (projects refer to it).")
    title: Text = Field(description="The call's title.")
    opens: Date = Field(description="The day the call opens.")
    closes: Date = Field(description="The day the call closes.")
    budget: Money | None = Field(
        None, description="The funds the call offers, in kronor; leave out for an open-ended call.")
    focus_areas: list[Identifier] = Field([], description="The focus area ids the call is open to.")
    eligible: MarkdownText | None = Field(None, description="Who may apply (Markdown).")

    @model_validator(mode="after")
    def _ordered(self) -> Call:
        if self.closes < self.opens:
            raise PydanticCustomError("period", "the call closes ({closes}) before it opens ({opens})",
                                      {"opens": self.opens.isoformat(), "closes": self.closes.isoformat()})
        return self


class Share(Strict):
    """A county or focus area of a project, with an optional percent share."""

    code: str = Field(description="The county code or focus area id.")
    share: Percent | None = Field(None, description="Its share in percent.")


def _share_of(parser):
    # One Share for each plain code seen: they are frozen, few (the counties and focus areas) and
    # recur in every project; made once, they are not validated again for each project.
    plain: dict[str, Share] = {}

    def check(value: Any) -> Any:
        if value.__class__ is str:
            share = plain.get(value)
            if share is None:
                share = Share(code=parser(value), share=None)
                if len(plain) < 1024:
                    plain[value] = share
            return share
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


def _share_schema(code: dict, what: str) -> dict:
    return {
        "description": f"A {what}, or a mapping with the {what} under 'code' (or 'id') and its share in percent.",
        "anyOf": [code, {"type": "object", "properties": {"code": code, "id": code, "share": _PERCENT_SCHEMA},
                         "additionalProperties": False, "anyOf": [{"required": ["code"]}, {"required": ["id"]}]}],
    }


CountyShare = Annotated[Share, BeforeValidator(_share_of(parse_county)), _schema(
    _share_schema(_COUNTY_SCHEMA, "county code"))]
AreaShare = Annotated[Share, BeforeValidator(_share_of(parse_identifier)), _schema(
    _share_schema(_IDENTIFIER_SCHEMA, "focus area id"))]


class Owner(Strict):
    name: Text = Field(description="The organisation that owns the project.")
    kind: OrganisationKind = Field(
        description="regional for an actor with regional development responsibility, other for anyone else.")
    anchoring: MarkdownText | None = Field(
        None, description="For kind other: how the project is anchored with the regional development actor (Markdown).")
    org_number: Text | None = Field(None, description="The organisation number.")


class Indicators(Strict):
    companies: Count | None = Field(None, description="Companies receiving support.")
    smes: Count | None = Field(None, description="Of them, small and medium-sized enterprises.")
    companies_non_financial: Count | None = Field(None, description="Companies receiving non-financial support.")
    new_companies: Count | None = Field(None, description="New companies.")
    participants_women: Count | None = Field(None, description="Participants in training, women.")
    participants_men: Count | None = Field(None, description="Participants in training, men.")
    activities: Count | None = Field(None, description="Activities held.")

    @model_validator(mode="after")
    def _smes_within_companies(self) -> Indicators:
        if self.smes is not None and self.companies is not None and self.smes > self.companies:
            raise PydanticCustomError("indicators", "smes ({smes}) cannot exceed companies ({companies})",
                                      {"smes": self.smes, "companies": self.companies})
        return self


def _shares_add_up(items: list[Share], what: str) -> None:
    if len(items) < 2 and (not items or items[0].share is None):
        return  # nothing to add up, nothing listed twice
    given = [s.share for s in items if s.share is not None]
    if given and len(given) != len(items):
        raise PydanticCustomError("shares", "give a share for every {what} or for none", {"what": what})
    if given and sum(given) != 100:
        raise PydanticCustomError("shares", "the {what} shares add up to {total} %, expected 100 %",
                                  {"what": what, "total": str(sum(given))})
    codes = [s.code for s in items]
    if len(set(codes)) == len(codes):
        return
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise PydanticCustomError("shares", "{what} '{code}' is listed twice", {"what": what, "code": dupes[0]})


class Project(Strict):
    id: Identifier = Field(description="The project's id, unique; finances.xlsx refers to it in the Projekt columns.")
    title: Text = Field(description="The project's title.")
    call: Identifier | None = Field(None, description="The id of the call the project was granted under.")
    owner: Owner = Field(description="The organisation that owns the project.")
    counties: list[CountyShare] = Field(
        description="The counties the project works in, optionally with shares in percent that add up to 100.")
    focus_areas: list[AreaShare] = Field(
        description="The focus area ids the project relates to, optionally with shares that add up to 100.")
    start: Date = Field(description="The day the project starts.")
    end: Date = Field(description="The day the project ends.")
    status: ProjectStatus = Field(description="Where the project stands.")
    summary: MarkdownText | None = Field(None, description="What the project does (Markdown).")
    continues: Text | None = Field(None, description="The earlier effort (förstudie) the project continues.")
    indicators: Indicators | None = Field(None, description="The project's result indicators, as whole numbers.")
    targets: Indicators | None = Field(
        None, description="The project's targets for the same indicators, as whole numbers; the final report "
                          "compares the outcome (indicators) with them. Absent: no target stated.")

    @model_validator(mode="after")
    def _consistent(self) -> Project:
        if self.end < self.start:
            raise PydanticCustomError("period", "the project ends ({end}) before it starts ({start})",
                                      {"start": self.start.isoformat(), "end": self.end.isoformat()})
        if not self.counties:
            raise PydanticCustomError("counties", "expected at least one county", {})
        _shares_add_up(self.counties, "county")
        _shares_add_up(self.focus_areas, "focus area")
        return self


class Evaluation(Strict):
    evaluator: Text = Field(description="Who evaluated the programme.")
    external: Flag = Field(True, description="Whether the evaluator is external.")
    period: DatePeriod | None = Field(None, description="When the evaluation ran.")
    method: MarkdownText = Field(description="How the evaluation was done (Markdown).")
    findings: list[MarkdownText] = Field(description="The main findings, one per item (Markdown).")
    effects: MarkdownText = Field(description="The results and effects found (Markdown).")
    recommendations: list[MarkdownText] = Field([], description="The recommendations, one per item (Markdown).")


class PlannedYear(Strict):
    year: Year = Field(description="The year planned.")
    calls: Money = Field(
        description="Funds to be announced in calls for proposals, in kronor.")  # to be announced in calls for proposals
    programme_costs: Money = Field(description="Planned programme-related costs, in kronor.")


class Milestone(Strict):
    date: Date = Field(description="When.")
    activity: Text = Field(description="What happens.")


class Plan(Strict):
    """The implementation plan's budget and milestones, as planned in early 2018."""

    budget: list[PlannedYear] = Field([], description="The planned budget, one entry per year.")
    milestones: list[Milestone] = Field([], description="The planned milestones.")


class Programme(Strict):
    agency: Agency = Field(description="The agency carrying out the assignment.")
    plan: Plan | None = Field(None, description="The implementation plan's budget and milestones.")
    texts: dict[str, dict[str, MarkdownText]] = Field(
        {}, description="The reports' narrative sections (Markdown), by deliverable id and then section name: genomforandeplan: sammanfattning, genomforande, uppfoljning; delrapport: sammanfattning, genomfort, avvikelser; slutredovisning: sammanfattning, genomfort, lardomar.")
    calls: list[Call] = Field([], description="The calls for proposals.")
    projects: list[Project] = Field(description="The projects granted funds.")
    evaluation: Evaluation | None = Field(
        None, description="The evaluation of results and effects (required before the final report).")
    submitted: dict[str, Date] = Field(
        {}, description="The day each deliverable was submitted, by deliverable id, e.g. "
                        "{delrapport-2019: 2019-03-29}; `reportgen status` counts a deliverable as done only then.")


# --- money records (finances.xlsx) ---------------------------------------------------------

class Record(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    # The place of each field's cell; set by the loader, not validated.
    places: Any = Field(default_factory=dict, exclude=True, repr=False)  # a Mapping: field → place
    row: Any = Field(default=None, exclude=True, repr=False)

    def where(self, field: str | None = None) -> Any:
        if field and field in self.places:
            return self.places[field]
        if self.row is None:
            # The loader's places know the row's own place too, rather than a place made for every row.
            return getattr(self.places, "row", None)
        return self.row


class Requisition(Record):
    year: Year = Field(description="The year whose funds are requisitioned.")
    date: Date = Field(description="The day of the requisition.")
    amount: Money = Field(description="The amount requisitioned, in kronor.")
    reference: Text | None = Field(
        None, description="The requisition's reference; must cite the decision's diarienummer.")


class Grant(Record):
    project: Identifier = Field(description="The project id.")
    year: Year = Field(description="The year whose frame the grant is charged to.")
    decided: Date = Field(description="The day the grant was decided.")
    amount: Money = Field(description="The amount granted, in kronor.")
    comment: Text | None = Field(None, description="A comment.")


class Disbursement(Record):
    project: Identifier = Field(description="The project id.")
    date: Date = Field(description="The day of payment.")
    amount: Money = Field(description="The amount paid, in kronor.")
    voucher: Text | None = Field(None, description="The voucher (verifikation) number.")


class ProgrammeCost(Record):
    year: Year = Field(description="The year the cost is charged to.")
    date: Date = Field(description="The day of the cost.")
    kind: CostKind = Field(description="The kind of cost: the agency's own label, shown as written.")
    amount: Money = Field(description="The cost, in kronor.")
    description: Text | None = Field(None, description="What the cost was for.")


class CoFinancing(Record):
    project: Identifier = Field(description="The project id.")
    source: CofinancingSource = Field(description="Where the co-financing comes from.")
    amount: Money = Field(description="The co-financing, in kronor.")
    year: Year | None = Field(
        None, description="The year the amount belongs to; empty: the whole project. An interim report shows "
                          "only the amounts of its own years (and those of the whole project).")
    kind: CofinancingKind | None = Field(
        None, description="Budget (planned) or Utfall (actual); empty: Budget.")

    @property
    def actual(self) -> bool:
        return self.kind == "Utfall"


class Recovery(Record):
    project: Identifier = Field(description="The project id.")
    date: Date = Field(description="The day the project paid the money back.")
    amount: Money = Field(description="The amount paid back to the agency (återkrav), in kronor.")
    comment: Text | None = Field(None, description="Why, e.g. a cancelled project or an ineligible cost.")


class Repayment(Record):
    date: Date = Field(description="The day of repayment.")
    amount: Money = Field(description="The amount repaid, in kronor.")
    bankgiro: Bankgiro = Field(description="The bankgiro number paid to.")
    reference: Text | None = Field(
        None, description="The repayment's reference; must cite the decision's diarienummer.")


class Finances(BaseModel):
    model_config = ConfigDict(frozen=True)
    requisitions: list[Requisition] = []
    grants: list[Grant] = []
    disbursements: list[Disbursement] = []
    programme_costs: list[ProgrammeCost] = []
    cofinancing: list[CoFinancing] = []
    repayments: list[Repayment] = []
    recoveries: list[Recovery] = []
