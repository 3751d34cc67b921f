"""What a run left on the nodes, compared between two labs of one scenario, and what the
nodes' journals say about the run (LAB.md, "Dump")."""

import datetime
import json

# What a node holds after a run. The journal (which commands ran, and when) is compared
# only through the counts below; in_memory equals on_disk once lcdsync has run, and a
# difference there without one on disk would be lost at the next restart anyway.
COMPARED = ("on_disk", "registry_jobs", "mirrors", "files", "violations")
SERIAL_PROGRAMS = ("sys_remove", "net_remove", "lcdsync")


def canonical(value):
    """Lists compared as sets of items (the lab keeps insertion order, which the order of
    the commands decides, not what they left)."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def differences(peer, reference):
    """One line per node and field where the two labs' dumps differ, keyed CLUSTER/SYSTEM
    (both labs come from one scenario; only the nodes' addresses differ)."""
    out = []
    for node in sorted(set(peer) | set(reference)):
        if node not in peer or node not in reference:
            out.append("%s: in one lab only" % node)
            continue
        for field in COMPARED:
            a, b = canonical(peer[node].get(field)), canonical(reference[node].get(field))
            if a != b:
                out.append("%s %s: peer %s, lkrecover %s"
                           % (node, field, json.dumps(a, ensure_ascii=False)[:400],
                              json.dumps(b, ensure_ascii=False)[:400]))
    return out


def _time(stamp):
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")


def _program(entry):
    argv0 = (entry.get("argv") or [""])[0]
    return argv0.replace("/", "\\").rsplit("\\", 1)[-1].lower().removesuffix(".exe")


def journal_metrics(before, after):
    """Commands the nodes ran between two dumps of one lab, the violations they recorded,
    and the cluster-serial span: from the first sys_remove/net_remove/lcdsync to the last
    command after it (the rounds and their checks)."""
    commands, violations, serial = 0, 0, []
    for node, dump in after.items():
        earlier = before.get(node, {})
        entries = dump.get("journal", [])[len(earlier.get("journal", [])):]
        commands += len(entries)
        violations += len(dump.get("violations", [])) - len(earlier.get("violations", []))
        serial += [e for e in entries if _program(e) in SERIAL_PROGRAMS]
    metrics = {"node_commands": commands, "violations": violations}
    if serial:
        first = min(_time(e["start"]) for e in serial)
        last = max(_time(e["end"]) for d in after.values() for e in d.get("journal", [])
                   if _time(e["start"]) >= first)
        metrics["cluster_serial_s"] = round((last - first).total_seconds(), 3)
    return metrics
