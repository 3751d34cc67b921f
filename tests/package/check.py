"""Assertions that say what was expected and what came instead, and the scenario's facts
the tests compare against (read from the scenario file, never from lkrecover's output)."""

import hashlib
import json
import os


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_equal(actual, expected, what):
    expect(actual == expected, "%s: expected %r, got %r" % (what, expected, actual))


def scenario_cluster(scenario_path):
    """(cluster name, replaced system, survivors) of a one-cluster scenario file."""
    with open(scenario_path, encoding="utf-8") as f:
        cluster = json.load(f)["clusters"][0]
    survivors = [n["system"] for n in cluster["nodes"] if n["system"] != cluster["replaced"]]
    return cluster["name"], cluster["replaced"], survivors


def trail_head(run_dir):
    """(event count, SHA-256 of the last line) of RUN_DIR/events.jsonl, computed here."""
    with open(os.path.join(run_dir, "events.jsonl"), "rb") as f:
        lines = [line for line in f.read().split(b"\n") if line]
    expect(lines, run_dir + "/events.jsonl is empty")
    return len(lines), hashlib.sha256(lines[-1]).hexdigest()
