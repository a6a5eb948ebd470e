#!/usr/bin/env python3
"""A function's init under Lambda's runtime interface client, outside a container, as docker/lambda-java.sh starts it.

    docker/init-time.py [--runs N] [--memory MB] [--no-archive] [--set NAME=VALUE ...] HANDLER JAR_FOLDER...

A JAR_FOLDER holds the function's jars, as the image's /var/task/lib (for instance a copy of video-splitting/target/lib
with target/video-splitting.jar added). For each, a training run makes the AppCDS archive of the init (the Runtime API
a closed port, so the client exits after the init), as the image build does; then each run starts the function
against a Runtime API of this script and times process start to its first GET /next, which is init done. The folders
are run in turn (two builds compared on a machine whose load changes); prints each run and each folder's median,
of the wall time and of the CPU time the JVM took until then (all its threads: more than the wall time on 2 cores).
--set gives the function's settings; its endpoints should be closed ports.
"""
import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
# docker/lambda-java.sh's options.
OPTIONS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=75", "-Xshare:auto"]


def cpu_seconds(pid):
    """The CPU time (user and system, all threads) the process has taken so far."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_poll_after(command, env, timeout):
    """Seconds from starting command to its first GET of /next on a Runtime API served here, and the CPU seconds
    it took until then: less bent than the wall time by other work on the machine."""
    polled = threading.Event()

    class RuntimeApi(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.endswith("/runtime/invocation/next"):
                polled.set()  # no event is ever sent: the process is stopped once it asks

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RuntimeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(env, AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % server.server_address[1])
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        if not polled.wait(timeout):
            sys.exit("no GET /next within %d s: %s" % (timeout, " ".join(command)))
        return time.perf_counter() - start, cpu_seconds(process.pid)
    finally:
        process.kill()
        process.wait()
        server.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="runs of each jar folder")
    parser.add_argument("--memory", type=int, default=1024, help="the function's MemorySize, MB")
    parser.add_argument("--no-archive", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a function variable")
    parser.add_argument("handler")
    parser.add_argument("jars", nargs="+", help="folders of the function's jars: several are run in turn")
    args = parser.parse_args()

    env = {"PATH": os.environ["PATH"], "AWS_LAMBDA_FUNCTION_NAME": "init-time",
           "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(args.memory), "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST"}
    env.update(variable.split("=", 1) for variable in args.set)
    starts = [prepare(folder, args, env) for folder in args.jars]
    times = {folder: [] for folder in args.jars}
    # Run in turn, so that the machine's load changing falls on every folder alike.
    for run in range(args.runs):
        for folder, (command, function_env) in zip(args.jars, starts):
            times[folder].append(first_poll_after(command, function_env, 120))
            print("%s run %d: %.0f ms, CPU %.0f ms" % ((folder, run + 1) + tuple(t * 1000 for t in times[folder][-1])),
                  flush=True)
    for folder in args.jars:
        print("%s: median of %d: %.0f ms, CPU %.0f ms" % (folder, args.runs,
              statistics.median(t[0] for t in times[folder]) * 1000,
              statistics.median(t[1] for t in times[folder]) * 1000))


def prepare(folder, args, env):
    """The command that starts the function of the jars in folder, with its archive made, and its environment."""
    jars = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".jar"))
    work = tempfile.mkdtemp(prefix="init-time-")
    # JavaCPP's natives unpacked once, by the training run, as the image unpacks them at build.
    java = ["java", "-XX:MaxRAM=%dm" % args.memory] + OPTIONS + [
        "-Dorg.bytedeco.javacpp.cachedir=" + os.path.join(work, "javacpp-cache")]
    env = dict(env, TMPDIR=work)
    archive = os.path.join(work, "classes.jsa")
    subprocess.run(java + ["-XX:ArchiveClassesAtExit=" + archive, "-cp", ":".join(jars), RUNTIME_CLIENT,
                           args.handler], env=dict(env, AWS_LAMBDA_RUNTIME_API="127.0.0.1:9"),
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=300)
    if not args.no_archive:
        # -Xshare:on refuses to start when the archive does not map, as the image build checks.
        subprocess.run(java + ["-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", ":".join(jars), "-version"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        java = java + ["-XX:SharedArchiveFile=" + archive]
    return java + ["-cp", ":".join(jars), RUNTIME_CLIENT, args.handler], env


if __name__ == "__main__":
    main()
