#!/bin/sh
# How both images start their function: Java run here, not by the base image's runtime, so that the JVM's options and
# its class path are ours (the base image's own class data archive would take the place of the one made here).
#
#   lambda-java.sh --train HANDLER   at image build: writes the class path (the function's jars, in a fixed order, as
#                                    the archive requires) and makes an AppCDS archive of the classes the function's
#                                    init loads: a training run of the init, after which the runtime client finds no
#                                    Runtime API and exits. The caller sets the function's variables to stand-ins.
#   lambda-java.sh HANDLER           the image's ENTRYPOINT (HANDLER is the CMD): Lambda's runtime interface client,
#                                    a dependency of each function, with that archive.
set -eu
FAAS=/opt/faas
RUNTIME_CLIENT=com.amazonaws.services.lambda.runtime.api.client.AWSLambda
# Serial GC and C1 only, as Lambda's own Java runtime; the heap may take 75 % of the function's memory (the JVM's
# default is 25 %), leaving the rest to FFmpeg's and libtorch's native memory.
OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75 -Xshare:auto"

if [ "${1:-}" = --train ]; then
  mkdir -p "$FAAS"
  ls "$LAMBDA_TASK_ROOT"/lib/*.jar | LC_ALL=C sort | tr '\n' ':' | sed 's/:$//' > "$FAAS/classpath"
  # 127.0.0.1:9 (discard): nothing answers, so the client stops right after the init; the archive is written at exit.
  # -Xmx1g: the heap of the build machine (75 % of it) could be too large for compressed pointers, which the
  # function has: an archive made without them is refused.
  AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 /var/lang/bin/java $OPTIONS -Xmx1g -XX:ArchiveClassesAtExit="$FAAS/classes.jsa" \
    -cp "$(cat "$FAAS/classpath")" "$RUNTIME_CLIENT" "$2" > "$FAAS/training.log" 2>&1 || true
  [ -s "$FAAS/classes.jsa" ] || { cat "$FAAS/training.log" >&2; echo "lambda-java.sh: no class archive made" >&2; exit 1; }
  # -Xshare:on refuses to start when the archive does not fit this JVM, these options and this class path.
  /var/lang/bin/java $OPTIONS -Xshare:on -XX:SharedArchiveFile="$FAAS/classes.jsa" -cp "$(cat "$FAAS/classpath")" \
    -version > /dev/null 2>&1 || { echo "lambda-java.sh: the class archive does not map" >&2; exit 1; }
  exit 0
fi

# -Xshare:auto: should the archive not fit this JVM or these jars, Java starts without it, only slower (the rehearsal
# checks that the function's JVM maps it).
exec /var/lang/bin/java $OPTIONS -XX:SharedArchiveFile="$FAAS/classes.jsa" -cp "$(cat "$FAAS/classpath")" \
  "$RUNTIME_CLIENT" "$@"
