#!/usr/bin/env python3
# hold-names.py: holds a memfd and a /dev/shm file by fd, and leaves an orphan /dev/shm file, all with spaces, a newline and a backslash in their names (test layer)
# Prints "ready PID" when they exist; removes the files when stdin closes.
import os, sys, time
pid = os.getpid()
m = os.memfd_create("rec fds\nheld \\ memfd", 0)
os.write(m, b"x" * 8192)
held = ("/dev/shm/rec fds\nheld-%d" % pid).encode()
fd = os.open(held, os.O_RDWR | os.O_CREAT, 0o644)
os.write(fd, b"y" * 12288)
orphan = ("/dev/shm/rec fds orphan\\-%d" % pid).encode()
o = os.open(orphan, os.O_RDWR | os.O_CREAT, 0o644)
os.write(o, b"z" * 4096)
os.close(o)
print("ready %d" % pid, flush=True)
sys.stdin.read()
os.unlink(held); os.unlink(orphan)
