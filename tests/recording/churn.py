#!/usr/bin/env python3
# churn.py: processes that come and go holding a memfd and a /dev/shm file, for the vanishing-process tests (test layer)
# Runs until stdin closes: forks a child every few milliseconds that creates a memfd and a /dev/shm
# file named memps-churn-PID-CHILD (PID: this process's), holds them for a moment and exits (removing
# its file); prints "ready PID" once started.
import os
import select
import sys
import time

print("ready %d" % os.getpid(), flush=True)
children = []
n = 0
while True:
    r, _, _ = select.select([sys.stdin], [], [], 0.003)
    if r and not os.read(sys.stdin.fileno(), 1):
        break
    pid = os.fork()
    if pid == 0:
        m = os.memfd_create("churn", 0)
        os.write(m, b"c" * 4096)
        name = "/dev/shm/memps-churn-%d-%d" % (os.getppid(), os.getpid())
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o600)
        os.write(fd, b"c" * 4096)
        time.sleep(0.02)
        os.unlink(name)
        os._exit(0)
    children.append(pid)
    n += 1
    for c in list(children):
        if os.waitpid(c, os.WNOHANG)[0]:
            children.remove(c)
for c in children:
    os.waitpid(c, 0)
