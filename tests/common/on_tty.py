#!/usr/bin/env python3
# on_tty.py: runs a command on a new pseudo-terminal and copies everything it writes there to stdout, to the last byte (test layer)
#
# Usage: on_tty.py [--rows N --cols N] [--pid-file FILE] [--] COMMAND [ARG...]
#
# The command is a session leader with the terminal as its controlling tty and as stdin, stdout and
# stderr; the window size is set before it starts.  Its output is copied unbuffered (a test can watch
# the file grow) until the terminal's far side is closed, then the command is waited for: the exit
# status is the command's, 128 + N when signal N ended it, as a shell says.
#
# Why not script(1): util-linux's script stops reading soon after its child exits, and on a loaded
# machine the last bytes the child wrote (the sequence that restores the terminal) can still be on
# their way through the pty's buffer; they were lost once in CI.  Reading the master until EIO, which
# the kernel reports only after every written byte has been read, loses nothing.
import errno
import fcntl
import os
import struct
import sys
import termios


def main(argv):
    rows = cols = 0
    pid_file = None
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--":
            break
        if not args:
            sys.exit(f"on_tty.py: {opt} needs a value")
        if opt == "--rows":
            rows = int(args.pop(0))
        elif opt == "--cols":
            cols = int(args.pop(0))
        elif opt == "--pid-file":
            pid_file = args.pop(0)
        else:
            sys.exit(f"on_tty.py: unknown option {opt}")
    if not args:
        sys.exit("on_tty.py: no command")

    master, slave = os.openpty()
    if rows or cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    pid = os.fork()
    if pid == 0:
        try:
            os.close(master)
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            if slave > 2:
                os.close(slave)
            os.execvp(args[0], args)
        except OSError as e:
            os.write(2, f"on_tty.py: {args[0]}: {e.strerror}\n".encode())
        os._exit(127)
    os.close(slave)
    if pid_file:
        with open(pid_file + ".tmp", "w") as f:
            f.write(f"{pid}\n")
        os.rename(pid_file + ".tmp", pid_file)

    out = sys.stdout.buffer
    while True:
        try:
            data = os.read(master, 65536)
        except OSError as e:
            if e.errno == errno.EINTR:
                continue
            if e.errno != errno.EIO:  # EIO: the far side is closed and everything is read
                raise
            data = b""
        if not data:
            break
        out.write(data)
        out.flush()
    os.close(master)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
