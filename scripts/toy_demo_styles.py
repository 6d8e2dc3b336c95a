#!/usr/bin/env python3
"""Terse against worked answers in a toy demo workspace (the figures of docs/training.md, "The toy demo").

Usage: scripts/toy_demo_styles.py WORKSPACE.distillery

For the newest demo-toy-sft and demo-toy-grpo runs it prints, per evaluated checkpoint, held-out pass@1
over all answers, over the terse ones and over the worked ones, and per GRPO step the share of terse
rollouts with their accuracy, from the run's group files. A stored evaluation result keeps only the
response length, so there an answer counts as terse when it is shorter than 22 + 16 tokens per
operation (a worked step takes about 35); a rollout counts as terse when its thinking has no ':'.
"""
import glob
import json
import os
import re
import sqlite3
import sys


def newest_run(db, name):
    row = db.execute("SELECT id, folder FROM runs WHERE name = ? ORDER BY id DESC LIMIT 1", (name,)).fetchone()
    if row is None:
        sys.exit(f"no run named {name}")
    return row


def share(rows):
    return f"{sum(r for r in rows) / len(rows):.3f} (n={len(rows)})" if rows else "-"


def evaluations(db, run_id):
    by_checkpoint = {}
    for checkpoint, question, correct, tokens in db.execute(
            "SELECT e.checkpoint, p.question, e.correct, e.response_tokens FROM eval_results e "
            "JOIN problems p ON p.id = e.problem_id WHERE e.run_id = ?", (run_id,)):
        operations = question.count(" + ") + question.count(" - ")
        by_checkpoint.setdefault(checkpoint, []).append((tokens < 22 + 16 * operations, correct))
    for checkpoint in sorted(by_checkpoint, key=lambda c: int(c.split("-")[-1])):
        answers = by_checkpoint[checkpoint]
        terse = [c for t, c in answers if t]
        worked = [c for t, c in answers if not t]
        print(f"  {checkpoint}: pass@1 {share([c for _, c in answers])}, terse {share(terse)}, worked {share(worked)}")


def rollouts(folder):
    files = glob.glob(os.path.join(folder, "groups", "step_*.jsonl"))
    step_of = {f: int(re.search(r"step_(\d+)", f).group(1)) for f in files}
    for path in sorted(files, key=step_of.get):
        terse, worked = [], []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                for c in json.loads(line)["completions"]:
                    thinking = c["text"].split("</think>")[0]
                    (worked if ":" in thinking else terse).append(c["scores"]["accuracy"])
        n = len(terse) + len(worked)
        print(f"  step {step_of[path]}: terse share {len(terse) / n:.3f}, "
              f"terse accuracy {share(terse)}, worked accuracy {share(worked)}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    sft_id, _ = newest_run(db, "demo-toy-sft")
    grpo_id, grpo_folder = newest_run(db, "demo-toy-grpo")
    grpo_folder = grpo_folder or f"{sys.argv[1]}.runs/run-{grpo_id}"  # the default output folder
    print(f"SFT run {sft_id}, held-out evaluations:")
    evaluations(db, sft_id)
    print(f"GRPO run {grpo_id}, held-out evaluations:")
    evaluations(db, grpo_id)
    print("GRPO rollouts:")
    rollouts(grpo_folder)


if __name__ == "__main__":
    main()
