"""``reportgen init DIR``: a new reports project, valid from the first run.

The project holds ``inputs/`` (the decision copied from the shipped example, a small programme
with two projects and a text for every deliverable, and a finances.xlsx made by
:mod:`reportgen.project.scaffold` with a few rows that keep every rule of the decision), ``schemas/`` for
editors, a copy of the templates (with base.docx), a ``.gitignore`` and a GitHub Actions workflow
that validates, builds and keeps the deliverables as artifacts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tempfile
from decimal import Decimal
from pathlib import Path

from reportgen.inputs.model import Decision, Programme
from reportgen.inputs.schema import FILES as SCHEMA_FILES
from reportgen.inputs.schema import modeline, schema_file_name, schema_text
from reportgen.inputs.sources.yaml import _compose_and_build
from reportgen.project.scaffold import finances_workbook, workbook_bytes
from reportgen.report.resources import example_inputs, package_templates

D = Decimal
date = dt.date

GITIGNORE = """\
# The build's lock beside outputs/, and what a killed build leaves there (the next build cleans up).
.outputs.*
# Built deliverables: rebuild them with `reportgen build`, or take them from the CI artifacts.
outputs/
"""

WORKFLOW = """\
# Validate the inputs (with annotations on the changed files), build the deliverables and keep
# them as artifacts; on a pull request, also build its base and keep a review page of what the
# pull request changes in the documents (review.html). See docs/ci.md and docs/security.md in
# reportgen.
#
# Safe for pull requests from people you do not trust: the job runs their inputs and templates,
# so it gets no secrets and a read-only token, and it only uploads artifacts. Use pull_request,
# never pull_request_target (which runs with the base repository's secrets and write token).
name: reports

on:
  push:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

jobs:
  reports:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    env:
      # Where reportgen is installed from: a package index name, a wheel or a git URL, e.g.
      # "reportgen @ git+https://github.com/<org>/reportgen@v0.1.0".
      REPORTGEN: reportgen
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
          fetch-depth: 0  # the whole history: a pull request's base is built from it (review page)
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install reportgen
        run: pip install "$REPORTGEN"
      - name: Validate the inputs
        run: reportgen validate --inputs inputs --format github
      - name: Build the deliverables
        run: reportgen build --inputs inputs --out outputs
      - name: Keep the deliverables
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: deliverables
          path: outputs/
          if-no-files-found: warn
      - name: Build the deliverables of the pull request's base
        id: base
        if: github.event_name == 'pull_request'
        continue-on-error: true
        env:
          BASE_SHA: ${{ github.event.pull_request.base.sha }}
        run: |
          git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"
          reportgen build --inputs "$RUNNER_TEMP/base/inputs" --out "$RUNNER_TEMP/base-outputs"
      - name: Review page (what the pull request changes in the documents)
        if: github.event_name == 'pull_request' && steps.base.outcome == 'success'
        # diff exits 1 when the documents differ: that is the point of a pull request, not a failure.
        run: |
          mkdir -p review
          reportgen diff "$RUNNER_TEMP/base-outputs" outputs --stat --html review/review.html || [ $? -eq 1 ]
      - name: Keep the review page
        if: github.event_name == 'pull_request' && steps.base.outcome == 'success'
        uses: actions/upload-artifact@v4
        with:
          name: review-page
          path: review/review.html
"""

README = """\
# Rapporter: Smart industri på regional nivå

Underlaget till rapporterna till Regeringskansliet, byggda med reportgen.

- `inputs/decision.yaml`: regeringsbeslutet som data.
- `inputs/programme.yaml`: programmets texter, utlysningar, projekt och utvärdering.
- `inputs/finances.xlsx`: ekonomin (bladet Instruktioner förklarar varje blad).
- `templates/`: rapportmallarna och base.docx (utseendet i Word).

```sh
reportgen validate          # kontrollera underlaget
reportgen build             # skriv rapporterna till outputs/
reportgen status            # tidsfrister och vad som är byggt
```
"""

PROGRAMME = """\
{modeline}
# Myndighetens sida av uppdraget: ansvarig enhet, texter till rapporterna, utlysningar, projekt och
# utvärdering. Ett litet startexempel från `reportgen init` (påhittade uppgifter): byt ut dem mot
# era egna. Fälten beskrivs i docs/inputs.md och docs/inputs-reference.md i reportgen. Beloppen
# finns i finances.xlsx.

agency:
  name: Tillväxtverket
  unit: Avdelningen för regional tillväxt
  case_number: "Ä 2018-0001"           # myndighetens diarienummer för uppdraget (påhittat)
  city: Stockholm
  contact: {{name: Anna Andersson, title: Programansvarig, email: anna.andersson@example.se, phone: "08-000 000 00"}}
  signatory: {{name: Eva Exempel, title: Generaldirektör}}
  rapporteur: {{name: Anna Andersson, title: Programansvarig}}

texts:                                 # Markdown, per rapport och avsnitt
  genomforandeplan-2018:
    sammanfattning: |
      Tillväxtverket genomför uppdraget genom att utlysa medel till aktörer med regionalt
      utvecklingsansvar. Högst fem procent av medlen används till programanknutna kostnader.
    genomforande: |
      En utlysning öppnar i juni 2018. Ansökningarna bedöms utifrån hur de bidrar till Smart
      industris fokusområden, och beslut fattas under hösten 2018.
    uppfoljning: |
      Projekten rapporterar resultatindikatorer årligen. En extern utvärdering följer uppdraget
      från 2019.
  delrapport-2019:
    sammanfattning: |
      Utlysningen 2018 ledde till beslut om stöd till två projekt.
    genomfort: |
      Under 2018 har Tillväxtverket genomfört utlysningen och beslutat om stöd.
    avvikelser: |
      Genomförandet följer planen.
  delrapport-2020:
    sammanfattning: |
      Båda projekten är i gång och följer sina planer.
    genomfort: |
      Under 2019 har projekten genomfört sina första insatser för företagen.
    avvikelser: |
      Inga avvikelser att rapportera.
  slutredovisning-2021:
    sammanfattning: |
      Uppdraget är genomfört. Ej förbrukade medel har återbetalats till Kammarkollegiet.
    genomfort: |
      Projekten har nått företag i tre län inom alla fyra fokusområden.
    lardomar: |
      Tidig förankring hos de regionala aktörerna var avgörande.

plan:                                  # genomförandeplanens budget och milstolpar
  budget:
    - {{year: 2018, calls: 19000000, programme_costs: 1000000}}
    - {{year: 2019, calls: 28500000, programme_costs: 1500000}}
    - {{year: 2020, calls: 38000000, programme_costs: 2000000}}
  milestones:
    - {{date: 2018-06-01, activity: Utlysningen öppnar}}
    - {{date: 2018-11-30, activity: Beslut om stöd till projekt}}

calls:
  - id: utlysning-2018
    title: Smart industri i regionerna 2018
    opens: 2018-06-01
    closes: 2018-10-15
    budget: 8000000
    focus_areas: ["industri-4.0", hallbar-produktion, kunskapslyft-industri, testbadd-sverige]
    eligible: |
      Aktörer med regionalt utvecklingsansvar, och andra aktörer vars insats är förankrad hos den
      regionala aktören.

projects:
  - id: SI-2018-01                     # refereras från finances.xlsx (kolumnerna Projekt)
    title: Digitaliseringslyft för industrin i Norrbotten
    call: utlysning-2018
    owner: {{name: Region Norrbotten, kind: regional}}
    counties: ["25"]
    focus_areas: ["industri-4.0", testbadd-sverige]
    start: 2018-11-01
    end: 2020-12-31
    status: completed
    summary: Små och medelstora industriföretag får stöd att införa digitala verktyg i produktionen.
    indicators: {{companies: 40, smes: 34, companies_non_financial: 12, new_companies: 1,
                 participants_women: 30, participants_men: 45, activities: 12}}
    targets: {{companies: 35, smes: 30, activities: 12}}   # valfritt: mål; slutredovisningen jämför utfall med mål

  - id: SI-2018-02
    title: Kompetenslyft för hållbar produktion i Mittnorrland
    call: utlysning-2018
    owner:
      name: Mittuniversitetet
      kind: other                      # annan aktör: förankringen ska anges
      anchoring: Förankrat hos Region Västernorrland och Region Jämtland Härjedalen genom avsiktsförklaringar.
    counties: [{{code: "22", share: 60}}, {{code: "23", share: 40}}]
    focus_areas: [{{id: hallbar-produktion, share: 50}}, {{id: kunskapslyft-industri, share: 50}}]
    start: 2019-01-01
    end: 2020-12-31
    status: completed
    summary: Utbildningar i resurseffektiv produktion för anställda i industriföretag.
    indicators: {{companies: 25, smes: 20, participants_women: 60, participants_men: 70, activities: 18}}

evaluation:                            # krävs i slutredovisningen
  evaluator: Exempelutvärdering AB
  external: true
  period: {{start: 2019-01-01, end: 2021-02-28}}
  method: Dokumentstudier, intervjuer med projektägare och en enkät till deltagande företag.
  findings:
    - Projekten nådde många små och medelstora företag.
    - Samverkan med regionalfondsprojekten gav större insatser.
  effects: Företagen rapporterar ökad kunskap om digitalisering och hållbar produktion.
  recommendations:
    - Tydliggör förändringsteorin redan i utlysningen.

# Dagen då varje rapport lämnades; `reportgen status` räknar en rapport som klar först då.
# submitted:
#   genomforandeplan-2018: 2018-03-28
"""


def finances_rows(decision: Decision) -> dict[str, list[dict]]:
    """A few rows consistent with the starter programme that keep every rule of the decision.

    Requisitions before the yearly deadline citing the diarienummer; programme-related costs well
    under the cap; grants within the funds requisitioned; disbursements within the projects'
    periods and grants; one repayment of exactly what was not used, before the deadline, to the
    decision's bankgiro.
    """
    dnr = decision.diarienummer
    requisitions = [
        {"year": 2018, "date": date(2018, 4, 16), "amount": D(2_000_000), "reference": f"Rekvisition 2018, {dnr}"},
        {"year": 2019, "date": date(2019, 2, 4), "amount": D(3_000_000), "reference": f"Rekvisition 2019, {dnr}"},
        {"year": 2020, "date": date(2020, 2, 3), "amount": D(3_000_000), "reference": f"Rekvisition 2020, {dnr}"},
    ]
    grants = [
        {"project": "SI-2018-01", "year": 2018, "decided": date(2018, 11, 29), "amount": D(1_500_000),
         "comment": "Utlysning 2018"},
        {"project": "SI-2018-01", "year": 2019, "decided": date(2019, 2, 21), "amount": D(1_500_000)},
        {"project": "SI-2018-02", "year": 2019, "decided": date(2019, 2, 21), "amount": D(1_000_000)},
        {"project": "SI-2018-01", "year": 2020, "decided": date(2020, 2, 20), "amount": D(1_000_000)},
        {"project": "SI-2018-02", "year": 2020, "decided": date(2020, 2, 20), "amount": D(2_000_000)},
    ]
    disbursements = [
        {"project": "SI-2018-01", "date": date(2018, 12, 14), "amount": D(500_000), "voucher": "UB-2018-0001"},
        {"project": "SI-2018-01", "date": date(2019, 3, 15), "amount": D(1_000_000), "voucher": "UB-2019-0001"},
        {"project": "SI-2018-02", "date": date(2019, 3, 15), "amount": D(1_000_000), "voucher": "UB-2019-0002"},
        {"project": "SI-2018-01", "date": date(2019, 9, 16), "amount": D(1_000_000), "voucher": "UB-2019-0003"},
        {"project": "SI-2018-01", "date": date(2020, 3, 16), "amount": D(1_000_000), "voucher": "UB-2020-0001"},
        {"project": "SI-2018-02", "date": date(2020, 3, 16), "amount": D(1_500_000), "voucher": "UB-2020-0002"},
        {"project": "SI-2018-01", "date": date(2020, 12, 15), "amount": D(250_000), "voucher": "UB-2020-0003"},
    ]
    programme_costs = [
        {"year": 2018, "date": date(2018, 12, 20), "kind": "Personal", "amount": D(50_000),
         "description": "Programledning 2018"},
        {"year": 2019, "date": date(2019, 12, 19), "kind": "Personal", "amount": D(80_000),
         "description": "Programledning 2019"},
        {"year": 2019, "date": date(2019, 10, 10), "kind": "Utvärdering", "amount": D(20_000),
         "description": "Extern utvärdering, första delen"},
        {"year": 2020, "date": date(2020, 12, 18), "kind": "Personal", "amount": D(100_000),
         "description": "Programledning 2020"},
        {"year": 2020, "date": date(2020, 11, 30), "kind": "Utvärdering", "amount": D("19999.50"),
         "description": "Extern utvärdering, slutrapport"},
    ]
    cofinancing = [
        {"project": "SI-2018-01", "source": "Regionalfonden", "amount": D(2_000_000)},
        {"project": "SI-2018-01", "source": "Region", "amount": D(500_000)},
        {"project": "SI-2018-02", "source": "Näringsliv", "amount": D(750_000)},
    ]
    unspent = sum(r["amount"] for r in requisitions) - sum(x["amount"] for x in disbursements) \
        - sum(c["amount"] for c in programme_costs)
    repayments = [
        {"date": date(2021, 2, 15), "amount": unspent, "bankgiro": decision.repayment.bankgiro,
         "reference": f"Återbetalning av ej förbrukade medel, {dnr}"},
    ]
    return {"requisitions": requisitions, "grants": grants, "disbursements": disbursements,
            "programme_costs": programme_costs, "cofinancing": cofinancing, "repayments": repayments}


def is_empty(folder: Path) -> bool:
    folder = Path(folder)
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def _load(file: str, text: str, model):
    doc, findings = _compose_and_build(file, text)
    if doc is None or any(f.is_error for f in findings):
        raise ValueError(f"cannot read {file}: " + "; ".join(f.message for f in findings))
    return model.model_validate(doc.data)


class UnsafeTarget(Exception):
    """A file ``init`` would write is reached through a symbolic link, or is no regular file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path = path
        self.reason = reason


def project_files(folder: Path) -> dict[Path, bytes]:
    """Every file of a new project in ``folder`` (path -> bytes), made in memory."""
    folder = Path(folder)
    files: dict[Path, bytes] = {}
    source = (example_inputs() / "decision.yaml").read_text(encoding="utf-8")
    if not source.startswith("# yaml-language-server:"):
        source = modeline("decision") + "\n" + source
    programme_text = PROGRAMME.format(modeline=modeline("programme"))
    decision = _load("inputs/decision.yaml", source, Decision)
    programme = _load("inputs/programme.yaml", programme_text, Programme)
    files[folder / "inputs" / "decision.yaml"] = source.encode("utf-8")
    files[folder / "inputs" / "programme.yaml"] = programme_text.encode("utf-8")
    files[folder / "inputs" / "finances.xlsx"] = workbook_bytes(
        finances_workbook(decision, programme, finances_rows(decision)))
    for kind in SCHEMA_FILES:
        files[folder / "schemas" / schema_file_name(kind)] = schema_text(kind).encode("utf-8")
    templates = package_templates()
    for path in sorted(templates.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.name.startswith("."):
            continue
        files[folder / "templates" / path.relative_to(templates)] = path.read_bytes()
    for path, text in ((folder / ".gitignore", GITIGNORE),
                       (folder / ".github" / "workflows" / "reports.yml", WORKFLOW),
                       (folder / "README.md", README)):
        files[path] = text.encode("utf-8")
    return files


def check_targets(folder: Path, paths) -> None:
    """Raise UnsafeTarget when writing ``paths`` could leave ``folder``: a folder on the way or
    the file itself is a symbolic link (``DIR/inputs`` linked to another project's inputs, or
    ``DIR/README.md`` to ``~/.bashrc``), or the file is a named pipe, a device or a folder.
    ``folder`` itself may be a link: the user named it."""
    folder = Path(folder)
    for path in paths:
        current = folder
        for part in path.relative_to(folder).parts:
            current = current / part
            try:
                st = os.lstat(current)
            except FileNotFoundError:
                break
            if stat.S_ISLNK(st.st_mode):
                raise UnsafeTarget(current, "is a symbolic link; init does not write through links")
            if current != path and not stat.S_ISDIR(st.st_mode):
                raise UnsafeTarget(current, "is not a folder")
            if current == path and not stat.S_ISREG(st.st_mode):
                raise UnsafeTarget(current, "is not a regular file")


def _write_new(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file renamed over it: a rename replaces whatever is at
    ``path`` itself and never writes into where a link there points (checked again here, in
    case something changed since check_targets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would make it: mkstemp makes it private
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def init_project(folder: Path) -> list[Path]:
    """Create (or overwrite the files of) a reports project in ``folder``; returns the files written.

    Raises UnsafeTarget, before writing anything, when a file would be written through a link."""
    folder = Path(folder)
    files = project_files(folder)
    check_targets(folder, files)
    for path, data in files.items():
        check_targets(folder, [path])
        _write_new(path, data)
    return list(files)
