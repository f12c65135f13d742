#!/usr/bin/env python3
"""Runs one command and prints one line: wall seconds, exit code, peak resident MiB of
its whole process tree and of the largest JVM in it ("-" for both unless --memory),
and the start and end times (seconds since the epoch).

Usage: measure.py [--time | --memory] LOG -- COMMAND [ARG ...]   (the command's output goes to LOG)

With --time (the default) nothing watches the command, so its times are its own. With it, the
tree is every process in the command's session (it gets a session of its own) plus every
descendant by parent links, sampled from /proc every 20 ms, so a process that lives
less than that can be missed; GNU time's %M gives only the largest single process.
Sampling costs about 0.4 s of CPU a second, which a 2-core machine takes from the
command: bench.sh times other runs than those it samples. "jvm" is the largest java
process seen. Linux only (reads /proc).
"""
import os
import subprocess
import sys
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def processes():
    """pid -> (ppid, session, rss bytes, command name) for every process readable now."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
            with open(f"/proc/{entry}/statm") as statm:
                resident = int(statm.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        found[int(entry)] = (int(fields[1]), int(fields[3]), resident, name)
    return found


def tree(root, table):
    members = {pid for pid, (_, session, _, _) in table.items() if session == root}
    members.add(root)
    grew = True
    while grew:
        grew = False
        for pid, (parent, _, _, _) in table.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    return [pid for pid in members if pid in table]


def main():
    args = sys.argv[1:]
    memory = bool(args) and args[0] == "--memory"
    if args and args[0] in ("--time", "--memory"):
        args = args[1:]
    if len(args) < 3 or args[1] != "--":
        sys.exit("usage: measure.py [--time | --memory] LOG -- COMMAND [ARG ...]")
    log = open(args[0], "ab")
    started = time.time()
    child = subprocess.Popen(args[2:], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if not memory:
        child.wait()
        ended = time.time()
        print(f"{ended - started:.3f} {child.returncode} - - {started:.3f} {ended:.3f}")
        return
    peak_tree = peak_jvm = 0
    while child.poll() is None:
        table = processes()
        members = tree(child.pid, table)
        peak_tree = max(peak_tree, sum(table[pid][2] for pid in members))
        peak_jvm = max([peak_jvm] + [table[pid][2] for pid in members if table[pid][3] == "java"])
        time.sleep(0.02)
    ended = time.time()
    print(f"{ended - started:.3f} {child.returncode} {peak_tree / 2**20:.0f} {peak_jvm / 2**20:.0f} {started:.3f} {ended:.3f}")


if __name__ == "__main__":
    main()
