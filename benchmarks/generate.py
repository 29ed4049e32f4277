"""Generate valid synthetic inputs with N projects, for benchmarks and scale tests.

    python benchmarks/generate.py --projects 1000 --out /tmp/inputs-1000

The result passes `reportgen validate` (schema and the decision's rules): frames scale with the
number of projects so that each project gets a realistic 0.5–6 mnkr, money arrives before it is
paid out, programme-related costs stay near 4 %, and the repayment equals the unspent funds.
Projects are built as model objects (reportgen.inputs.model) and dumped, so the generator follows the
model when it changes. The distributions: counties weighted by population-like weights, one to
three focus areas, 85 % of owners regional development actors, 70 % of projects with indicators.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.inputs.model import COUNTIES, Indicators, Owner, Project

FOCUS = ["industri-4.0", "hallbar-produktion", "kunskapslyft-industri", "testbadd-sverige"]
COUNTY_WEIGHTS = {"01": 24, "14": 17, "12": 14, "03": 4, "05": 5, "06": 4, "18": 3, "19": 3, "04": 3,
                  "21": 3, "20": 3, "22": 2, "24": 3, "25": 2, "17": 3, "13": 3, "08": 2, "07": 2,
                  "10": 2, "23": 1, "09": 1}
YEARS = (2018, 2019, 2020)
BASE_FRAMES = {2018: 20_000_000, 2019: 30_000_000, 2020: 40_000_000}
DNR = "N2018/00000/FÖF"


def _projects(n: int, rng: random.Random) -> list[Project]:
    codes = list(COUNTY_WEIGHTS)
    weights = list(COUNTY_WEIGHTS.values())
    projects = []
    for i in range(n):
        year = YEARS[0] if i < n * 0.85 else YEARS[1]
        start = dt.date(year, rng.choice([9, 10, 11, 12]) if year == 2018 else rng.choice([6, 7, 8]), 1)
        end = dt.date(2020, 12, 31) if rng.random() < 0.8 else dt.date(2020, rng.choice([6, 9, 10]), 30)
        counties = sorted(set(rng.choices(codes, weights, k=rng.choice([1, 1, 1, 2]))))
        areas = sorted(set(rng.sample(FOCUS, rng.choice([1, 1, 2, 2, 3]))))
        regional = rng.random() < 0.85
        county_name = COUNTIES[counties[0]].removesuffix(" län")
        owner = Owner(
            name=f"Region {county_name}" if regional else f"{county_name} industriutveckling AB",
            kind="regional" if regional else "other",
            anchoring=None if regional else f"Avsiktsförklaring med Region {county_name}, {start.isoformat()}",
        )
        indicators = None
        if rng.random() < 0.7:
            companies = rng.randint(5, 80)
            indicators = Indicators(companies=companies, smes=rng.randint(0, companies),
                                    companies_non_financial=rng.randint(0, companies),
                                    new_companies=rng.randint(0, 3), participants_women=rng.randint(0, 60),
                                    participants_men=rng.randint(0, 90), activities=rng.randint(1, 30))
        projects.append(Project(
            id=f"SI-{year}-{i + 1:05d}", title=f"Smart industri {county_name} {i + 1}: "
            f"{rng.choice(['digitalisering', 'automation', 'kompetenslyft', 'testmiljö', 'cirkulär produktion'])}",
            call=f"utlysning-{year}", owner=owner, counties=counties, focus_areas=areas, start=start, end=end,
            status="completed", summary=f"Syntetiskt projekt nummer {i + 1} för prestandamätning.",
            indicators=indicators))
    return projects


def _project_yaml(p: Project) -> dict:
    data = p.model_dump(mode="json", exclude_none=True)
    data["counties"] = [s["code"] for s in data["counties"]]
    data["focus_areas"] = [s["code"] for s in data["focus_areas"]]
    return data


def generate(n: int, out: Path, seed: int = 2018, portable: bool = False) -> None:
    rng = random.Random(seed)
    scale = max(1, n // 20)
    frames = {y: BASE_FRAMES[y] * scale for y in YEARS}
    out.mkdir(parents=True, exist_ok=True)

    decision = yaml.safe_load((ROOT / "inputs" / "decision.yaml").read_text("utf-8"))
    decision["frames"] = [{"year": y, "amount": frames[y], "status": "decided" if y == 2018 else "estimated"}
                          for y in YEARS]
    (out / "decision.yaml").write_text(yaml.safe_dump(decision, allow_unicode=True, sort_keys=False), "utf-8")

    projects = _projects(n, rng)
    programme = yaml.safe_load((ROOT / "inputs" / "programme.yaml").read_text("utf-8"))
    # The plan's budget at this scale (the implementation plan needs one): within each frame and the cap.
    programme["plan"] = {"budget": [{"year": y, "calls": frames[y] * 95 // 100, "programme_costs": frames[y] * 4 // 100}
                                    for y in YEARS], "milestones": []}
    programme["calls"] = [
        {"id": "utlysning-2018", "title": "Utlysning 2018", "opens": "2018-06-01", "closes": "2018-08-31",
         "budget": frames[2018] * 3, "focus_areas": FOCUS},
        {"id": "utlysning-2019", "title": "Utlysning 2019", "opens": "2019-03-01", "closes": "2019-05-15",
         "budget": frames[2019], "focus_areas": FOCUS},
    ]
    programme["projects"] = [_project_yaml(p) for p in projects]
    if portable:
        # Code before issue 16 refuses this key: without it, an older revision builds the same
        # inputs (benchmarks/run.py --against REV).
        programme.pop("submitted", None)
    (out / "programme.yaml").write_text(
        yaml.safe_dump(programme, allow_unicode=True, sort_keys=False, width=120), "utf-8")

    _finances(projects, frames, out / "finances.xlsx", rng)


def _finances(projects: list[Project], frames: dict[int, int], path: Path, rng: random.Random) -> None:
    from openpyxl import Workbook

    requisitioned = {y: Decimal(frames[y]) * Decimal("0.9") for y in YEARS}
    costs = {y: (requisitioned[y] * Decimal("0.04")).quantize(Decimal(1)) for y in YEARS}
    # Grants: each year's requisitioned funds minus programme costs, spread over the projects
    # active that year (weights 0.5–1.5), to whole kronor; the last project takes the remainder.
    grants: list[tuple[str, int, dt.date, Decimal]] = []
    disbursements: list[tuple[str, dt.date, Decimal]] = []
    for y in YEARS:
        active = [p for p in projects if p.start.year <= y and p.end.year >= y]
        budget = (requisitioned[y] - costs[y]) * Decimal("0.97")
        weights = [Decimal(str(rng.uniform(0.5, 1.5))) for _ in active]
        total_w = sum(weights)
        amounts = [(budget * w / total_w).quantize(Decimal(1)) for w in weights]
        for p, amount in zip(active, amounts):
            decided = max(dt.date(y, 3, 1), p.start if p.start.year == y else dt.date(y, 3, 1))
            grants.append((p.id, y, decided, amount))
            # Paid in two parts inside the project's period and after the requisition (1 March).
            first = (amount * Decimal("0.6")).quantize(Decimal("0.01"))
            pay1 = max(dt.date(y, 3, 15), p.start)
            pay2 = min(dt.date(y, 11, 15), p.end)
            pay2 = max(pay2, pay1)
            disbursements.append((p.id, pay1, first))
            disbursements.append((p.id, pay2, amount - first))

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rekvisitioner")
    ws.append(["År", "Datum", "Belopp", "Referens"])
    for y in YEARS:
        ws.append([y, dt.datetime(y, 3, 1), float(requisitioned[y]), f"Rekvisition {y}, {DNR}"])
    ws = wb.create_sheet("Beviljat")
    ws.append(["Projekt", "År", "Beslutsdatum", "Belopp"])
    for pid, y, decided, amount in grants:
        ws.append([pid, y, dt.datetime.combine(decided, dt.time()), float(amount)])
    ws = wb.create_sheet("Utbetalningar")
    ws.append(["Projekt", "Datum", "Belopp"])
    for pid, day, amount in disbursements:
        ws.append([pid, dt.datetime.combine(day, dt.time()), float(amount)])
    ws = wb.create_sheet("Programkostnader")
    ws.append(["År", "Datum", "Kostnadsslag", "Belopp"])
    for y in YEARS:
        half = (costs[y] / 2).quantize(Decimal(1))
        ws.append([y, dt.datetime(y, 6, 30), "Personal", float(half)])
        ws.append([y, dt.datetime(y, 12, 15), "Utvärdering", float(costs[y] - half)])
    ws = wb.create_sheet("Medfinansiering")
    ws.append(["Projekt", "Källa", "Belopp"])
    for p in projects[::3]:
        ws.append([p.id, rng.choice(["Regionalfonden", "Region", "Kommun", "Näringsliv"]),
                   float(rng.randint(2, 40) * 50_000)])
    ws = wb.create_sheet("Återbetalningar")
    ws.append(["Datum", "Belopp", "Bankgiro", "Referens"])
    unspent = sum(requisitioned.values()) - sum(a for _, _, a in disbursements) - sum(costs.values())
    ws.append([dt.datetime(2021, 2, 15), float(unspent), "5052-5781", f"Återbetalning, {DNR}"])
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, required=True, help="number of projects")
    parser.add_argument("--out", type=Path, required=True, help="folder to write decision.yaml, programme.yaml, finances.xlsx")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--with-templates", action="store_true",
                        help="also copy templates/ beside the inputs folder (for builds with a custom folder)")
    parser.add_argument("--portable", action="store_true",
                        help="leave out what older revisions do not read (the submission dates), so that one set "
                             "of inputs serves both sides of benchmarks/run.py --against")
    args = parser.parse_args(argv)
    generate(args.projects, args.out, args.seed, args.portable)
    if args.with_templates:
        shutil.copytree(ROOT / "templates", args.out.parent / "templates", dirs_exist_ok=True)
    print(f"wrote {args.projects} projects to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
