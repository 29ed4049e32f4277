"""The review-page recipe of the workflow `reportgen init` writes, run: its pull-request steps'
shell scripts, as GitHub Actions would run them, in a clone of a new project whose base commit
is on an ``origin``; and docs/ci.md shows that same workflow."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from reportgen.project.newproject import WORKFLOW

STEPS = yaml.safe_load(WORKFLOW)["jobs"]["reports"]["steps"]


def _step(name_part: str) -> dict:
    return next(s for s in STEPS if name_part in s.get("name", ""))


def test_workflow_builds_the_base_diffs_and_keeps_the_review_page():
    base, review, keep = _step("pull request's base"), _step("Review page"), _step("Keep the review page")
    for step in (base, review, keep):
        assert "github.event_name == 'pull_request'" in step["if"]
    assert base["continue-on-error"] is True and "steps.base.outcome == 'success'" in review["if"]
    assert "reportgen diff" in review["run"] and "--html review/review.html" in review["run"]
    assert keep["uses"].startswith("actions/upload-artifact") and keep["with"]["path"] == "review/review.html"
    assert STEPS.index(base) < STEPS.index(review) < STEPS.index(keep)


def test_docs_show_the_workflow_init_writes():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    shown = re.search(r"```yaml\n(# Validate the inputs.*?)```", text, re.DOTALL).group(1)
    assert shown == WORKFLOW


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_review_recipe_runs_on_a_pull_request(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.se",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.se",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for key in ("GIT_DIR", "GIT_WORK_TREE"):
        env.pop(key, None)

    def run(cmd, cwd: Path, extra: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, cwd=cwd, env={**env, **(extra or {})}, capture_output=True, text=True,
                              check=False)

    if shutil.which("reportgen", path=env["PATH"]) is None:
        pytest.skip("the reportgen command is not installed beside this Python")
    work = tmp_path / "work"
    assert run_cli("-q", "init", str(work)).exit_code == 0
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "base"]):
        assert run(cmd, work).returncode == 0
    base_sha = run(["git", "rev-parse", "HEAD"], work).stdout.strip()
    assert run(["git", "clone", "-q", "--bare", str(work), str(tmp_path / "origin.git")], tmp_path).returncode == 0
    pr = tmp_path / "pr"
    assert run(["git", "clone", "-q", str(tmp_path / "origin.git"), str(pr)], tmp_path).returncode == 0
    programme = pr / "inputs" / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    assert "    title: Digitaliseringslyft för industrin i Norrbotten\n" in text
    programme.write_text(text.replace("Digitaliseringslyft för industrin i Norrbotten",
                                      "Digitaliseringslyft för basindustrin i Norrbotten"), encoding="utf-8")

    runner = tmp_path / "runner"
    runner.mkdir()
    extra = {"RUNNER_TEMP": str(runner), **_step("pull request's base").get("env", {})}
    extra["BASE_SHA"] = base_sha  # what ${{ github.event.pull_request.base.sha }} becomes
    build = run(["bash", "-eo", "pipefail", "-c", _step("Build the deliverables")["run"]], pr, extra)
    assert build.returncode == 0, build.stderr
    for name in ("pull request's base", "Review page"):
        done = run(["bash", "-eo", "pipefail", "-c", _step(name)["run"]], pr, extra)
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    page = (pr / "review" / "review.html").read_text(encoding="utf-8")
    assert "<del>industrin</del>" in page and "<ins>basindustrin</ins>" in page
    assert "paragraphs 0 added" in done.stdout  # the --stat lines in the log
