#!/usr/bin/env bash
# The deploy rehearsal: both container images built the way `sam build` builds them, on a local stand-in of
# public.ecr.aws/lambda/java:21 (no registry can be reached here), then each function run as Lambda runs it
# (read-only root, /tmp a 512 MB tmpfs, memory capped at the template's MemorySize, the template's variables) against
# the local stand-ins of AWS (local-aws: S3, the Runtime API of each container, the Invoke API), and a course video
# pushed through: upload -> S3 event -> splitter container -> async invoke -> recogniser container -> <stem>.txt.
#
# Run from a clone after `./mvnw -q package -DskipTests`, as root (podman, buildah and runc are installed from Debian
# when missing). Needs ../shared (the course video and the enrolment photos). Everything it makes (containers, images,
# the storage root, the base's root file system) lives under one work folder and is removed on exit.
# Prints one summary line last. docs/DEPLOY.md ("The rehearsal") says what it proves and what it does not.
#
# REHEARSAL_ARCH=arm64 rehearses the arm64 images instead, under emulation (Debian's qemu-user-static through
# binfmt_misc): after `./mvnw -q -Parm64 package -DskipTests`, the images from target/arm64 only (JARS=target), on an
# arm64 base, with every wait REHEARSAL_SLOWDOWN (default 10) times longer. Its timings say nothing of Graviton's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared}
VIDEO=${REHEARSAL_VIDEO:-$SHARED/datasets/seed/videos/test_0.mp4}
PHOTOS=$SHARED/datasets/seed/gallery
EXPECTED=${REHEARSAL_EXPECTED:-$(awk -F, -v v="$(basename "$VIDEO")" '$2 == v {print $3; exit}' \
  "$SHARED/datasets/seed/expected.csv" 2>/dev/null || true)}
FAAS_JAR=$ROOT/cli/target/faas.jar
ARCH=${REHEARSAL_ARCH:-amd64}
case "$ARCH" in
  amd64) JARS_WAYS="target maven"; JARS_SUBDIR=; SLOWDOWN=1 ;;
  arm64) JARS_WAYS=target; JARS_SUBDIR=/arm64; SLOWDOWN=${REHEARSAL_SLOWDOWN:-10} ;;
  *) echo "rehearse.sh: REHEARSAL_ARCH must be amd64 or arm64, not '$ARCH'" >&2; exit 1 ;;
esac
RUNTIME_JARS=$ROOT/local-aws/target/lambda-runtime
SUITE=${DEBIAN_SUITE:-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE=localhost/faas-rehearsal-lambda-java21
BUILDER=localhost/faas-rehearsal-build-java
# The Maven repository the build outside filled: the images' own Maven builds read it, offline.
M2_REPO=${M2_REPO:-$HOME/.m2/repository}
mkdir -p "$HOME/.m2/wrapper"
# The template's MemorySize of each function (checked against template.yaml below).
SPLIT_MB=1024
RECOGNISE_MB=1769

fail() { echo "rehearse.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (podman with runc and its own storage root)"
[ -f "$FAAS_JAR" ] && [ -d "$RUNTIME_JARS" ] || fail "build first: ./mvnw -q package -DskipTests"
if [ "$ARCH" = arm64 ]; then
  [ -d video-splitting/target/arm64/lib ] && [ -d face-recognition/target/arm64/lib ] \
    || fail "build the arm64 jars first: ./mvnw -q -Parm64 package -DskipTests"
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-user-static binfmt-support >/dev/null
    update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  fi
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || fail "arm64 binaries cannot run here (no qemu-aarch64 in binfmt_misc)"
fi
[ -f "$VIDEO" ] && [ -d "$PHOTOS" ] || fail "needs ../shared beside the project (datasets/seed): not found at $SHARED"
[ -n "$EXPECTED" ] || fail "no expected name for $(basename "$VIDEO") in $SHARED/datasets/seed/expected.csv"
for fn in VideoSplittingFunction:$SPLIT_MB FaceRecognitionFunction:$RECOGNISE_MB; do
  awk -v f="  ${fn%%:*}:" -v mb="${fn##*:}" '$0 == f {on=1} on && /MemorySize:/ {found = ($2 == mb); exit}
    END {exit !found}' template.yaml || fail "template.yaml's MemorySize of ${fn%%:*} is not ${fn##*:}"
done

missing=()
for tool in podman buildah runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from Debian ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman buildah runc debootstrap >/dev/null
fi

declare -A build_s
RUN_EXTRA=()
WORK=$(mktemp -d /tmp/faas-rehearsal.XXXXXX)
export CONTAINERS_CONF=$WORK/containers.conf
# crun cannot run here (cgroups in hybrid mode) and the default ulimits fail setrlimit: see FIELD-NOTES.
printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"
PODMAN=(podman --root "$WORK/storage" --runroot "$WORK/run" --runtime runc)
STACK_PID=
MOTO_PID_FILE=
cleanup() {
  set +e
  [ -n "$STACK_PID" ] && kill "$STACK_PID" 2>/dev/null && wait "$STACK_PID" 2>/dev/null
  [ -n "$MOTO_PID_FILE" ] && [ -f "$MOTO_PID_FILE" ] && kill "$(cat "$MOTO_PID_FILE")" 2>/dev/null
  "${PODMAN[@]}" rm -f -t 2 rehearsal-video-splitting rehearsal-face-recognition >/dev/null 2>&1
  "${PODMAN[@]}" rmi -a -f >/dev/null 2>&1
  "${PODMAN[@]}" system reset -f >/dev/null 2>&1
  umount -R "$WORK/storage" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "base image: debootstrap $SUITE with OpenJDK 17 and Lambda's runtime interface client ..."
ROOTFS=$WORK/rootfs
debootstrap --arch="$ARCH" --variant=minbase --include=openjdk-17-jre-headless "$SUITE" "$ROOTFS" "$MIRROR" \
  > "$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
JAVA_HOME_IN=$(cd "$ROOTFS" && ls -d usr/lib/jvm/java-17-openjdk-* | head -1)
ln -sfn "/$JAVA_HOME_IN" "$ROOTFS/var/lang"
mkdir -p "$ROOTFS/var/runtime/lib" "$ROOTFS/var/task"
cp "$RUNTIME_JARS"/*.jar "$ROOTFS/var/runtime/lib/"
cat > "$ROOTFS/lambda-entrypoint.sh" <<'EOF'
#!/bin/sh
# As the real base image's entrypoint: Lambda's runtime interface client, the image's CMD as the handler.
exec /var/lang/bin/java -cp "/var/runtime/lib/*:$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib/*" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$@"
EOF
chmod +x "$ROOTFS/lambda-entrypoint.sh"
rm -rf "$ROOTFS/var/cache/apt/archives"/*.deb "$ROOTFS/var/lib/apt/lists"/*
tar -C "$ROOTFS" -c . | "${PODMAN[@]}" import --quiet --arch "$ARCH" --change 'ENV LAMBDA_TASK_ROOT=/var/task' \
  --change 'ENV LAMBDA_RUNTIME_DIR=/var/runtime' --change 'WORKDIR /var/task' \
  --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' - "$BASE" >/dev/null
rm -rf "$ROOTFS"
base_size=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$BASE")

if [ "$ARCH" = amd64 ]; then
echo "builder image: the base with a JDK, curl and unzip (a stand-in of public.ecr.aws/sam/build-java21) ..."
# It trusts the extra certificate authorities this machine trusts (/usr/local/share/ca-certificates): behind a
# TLS-inspecting proxy, as here, the build's one download (the face-api package from the npm registry) needs them.
mkdir "$WORK/ca"
cp /usr/local/share/ca-certificates/*.crt "$WORK/ca/" 2>/dev/null || true
printf '%s\n' "FROM $BASE" \
  'RUN apt-get update -q && apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless curl unzip ca-certificates && rm -rf /var/lib/apt/lists/*' \
  'COPY . /usr/local/share/ca-certificates/' 'RUN update-ca-certificates' \
  | "${PODMAN[@]}" build --quiet --network host -t "$BUILDER" -f - "$WORK/ca" > "$WORK/builder.log" 2>&1 \
  || { tail -20 "$WORK/builder.log" >&2; fail "builder image"; }
fi

# Each image twice: with the jars built outside (JARS=target, the image that runs below), and as plain `sam build`
# builds it (JARS=maven: Maven runs in the builder, offline from $M2_REPO). Both must hold exactly the runtime class
# path: what the build put in target/lib, and the function's own jar.
for fn in video-splitting face-recognition; do
  expected_lib=$( (ls "$fn/target$JARS_SUBDIR/lib"; echo "$fn.jar") | sort)
  for jars in $JARS_WAYS; do
    tag=localhost/faas-$fn$([ $jars = target ] || echo "-$jars")
    echo "image $fn: docker/$fn.Dockerfile, JARS=$jars, the project root as context ..."
    built=$(date +%s)
    "${PODMAN[@]}" build --network host --platform "linux/$ARCH" --build-arg "BASE_IMAGE=$BASE" \
      --build-arg "BUILDER_IMAGE=$BUILDER" --build-arg "JARS=$jars" --build-arg "JARS_DIR=$fn/target$JARS_SUBDIR" \
      --build-arg "MAVEN_ARGS=-o -Dmaven.repo.local=/m2/repository" \
      --build-arg "MAVEN_USER_HOME=/m2" -v "$M2_REPO:/m2/repository" -v "$HOME/.m2/wrapper:/m2/wrapper" \
      -f "docker/$fn.Dockerfile" -t "$tag" . > "$WORK/build-$fn-$jars.log" 2>&1 \
      || { tail -30 "$WORK/build-$fn-$jars.log" >&2; fail "$fn build (JARS=$jars)"; }
    build_s[$fn-$jars]=$(( $(date +%s) - built ))
    image_lib=$("${PODMAN[@]}" run --rm --network none --entrypoint /bin/ls "$tag" /var/task/lib | sort)
    [ "$expected_lib" = "$image_lib" ] || fail "$fn (JARS=$jars): /var/task/lib is not target/lib plus $fn.jar"
  done
done
split_size=$(( $("${PODMAN[@]}" image inspect --format '{{.Size}}' localhost/faas-video-splitting) - base_size ))
recognise_size=$(( $("${PODMAN[@]}" image inspect --format '{{.Size}}' localhost/faas-face-recognition) - base_size ))

echo "gallery: faas enroll of $PHOTOS ..."
java -jar "$FAAS_JAR" enroll --photos "$PHOTOS" --out "$WORK/gallery.json" > "$WORK/enroll.log" 2>&1 \
  || { tail -5 "$WORK/enroll.log" >&2; fail "faas enroll"; }

peak_mb() { # the container's cgroup (v1, or v2's memory.peak) high-water mark
  local id file bytes
  id=$("${PODMAN[@]}" inspect --format '{{.Id}}' "rehearsal-$1")
  for file in $(find /sys/fs/cgroup -path "*$id*" \( -name memory.max_usage_in_bytes -o -name memory.peak \) \
      2>/dev/null); do
    bytes=$(cat "$file" 2>/dev/null || true)
    if [[ "$bytes" =~ ^[0-9]+$ ]] && [ "$bytes" -gt 0 ]; then echo $(( bytes / 1048576 )); return; fi
  done
  echo "?"
}
declare -A started
# One flow through both containers: the local stack (Rehearsal) up, both functions started as Lambda starts them,
# a course video uploaded, its outcome awaited. $1: a label; $2: moto.json for moto's S3, or nothing for S3Mock.
flow() {
  local label=$1 moto=${2:-} status=0
  # S3Mock's objects start empty each time: an outcome left by an earlier run would make the splitter skip the video.
  rm -rf "$WORK/ready" "$WORK/result.json" "$WORK/done" "$WORK/s3" "$WORK"/*.polled
  "${PODMAN[@]}" rm -f -t 2 rehearsal-video-splitting rehearsal-face-recognition >/dev/null 2>&1 || true
  java -Drehearsal.slowdown="$SLOWDOWN" -cp "$FAAS_JAR" dev.facerec.localaws.Rehearsal "$WORK" samples/env.json "$WORK/gallery.json" "$VIDEO" \
    "$EXPECTED" $moto > "$WORK/stack-$label.log" 2>&1 &
  STACK_PID=$!
  for _ in $(seq 1 120); do [ -f "$WORK/ready" ] && break; sleep 0.5; done
  [ -f "$WORK/ready" ] || { tail -20 "$WORK/stack-$label.log" >&2; fail "$label: the local stack did not start"; }
  # One at a time: each init has the two cores to itself, as each function has its own machine on Lambda.
  for fn in video-splitting:$SPLIT_MB face-recognition:$RECOGNISE_MB; do
    started[${fn%%:*}]=$(date +%s%3N)
    "${PODMAN[@]}" run -d --name "rehearsal-${fn%%:*}" --network host --read-only --tmpfs /tmp:rw,size=512m \
      --memory "${fn##*:}m" --memory-swap "${fn##*:}m" --env-file "$WORK/${fn%%:*}.env" "${RUN_EXTRA[@]}" \
      "localhost/faas-${fn%%:*}" >/dev/null
    for _ in $(seq 1 $(( 600 * SLOWDOWN ))); do [ -f "$WORK/${fn%%:*}.polled" ] && break; sleep 0.1; done
  done
  # The stack writes result.json, then keeps the Runtime APIs up until "done": the containers still run.
  while [ ! -s "$WORK/result.json" ] && kill -0 "$STACK_PID" 2>/dev/null; do sleep 0.2; done
  PEAK_SPLIT=$(peak_mb video-splitting)
  PEAK_RECOGNISE=$(peak_mb face-recognition)
  if [ ${#RUN_EXTRA[@]} = 0 ]; then # each function's JVM (the container's process 1) mapped its class archive
    for fn in video-splitting face-recognition; do
      "${PODMAN[@]}" exec "rehearsal-$fn" grep -q /opt/faas/classes.jsa /proc/1/maps \
        || fail "$label: $fn runs without its class archive (/opt/faas/classes.jsa not mapped)"
    done
  fi
  touch "$WORK/done"
  wait "$STACK_PID" || status=$?
  STACK_PID=
  if [ "$status" != 0 ] || [ ! -s "$WORK/result.json" ]; then
    for fn in video-splitting face-recognition; do
      echo "--- $fn's log:" >&2; "${PODMAN[@]}" logs "rehearsal-$fn" 2>&1 | tail -15 >&2
    done
    tail -20 "$WORK/stack-$label.log" >&2
    fail "$label: the video did not come out as $EXPECTED: $(cat "$WORK/result.json" 2>/dev/null)"
  fi
}

# Flow 1, REHEARSAL_RUNS times (default 1); with more, as many runs again without the functions' class archive (the
# JDK's own default archive mounted over it, which is what Java uses unless told otherwise), alternating, and the
# medians of both (docs/BENCHMARKS.md).
RUNS=${REHEARSAL_RUNS:-1}
[[ "$RUNS" =~ ^[1-9][0-9]?$ ]] || fail "REHEARSAL_RUNS must be a number from 1 to 99, not '$RUNS'"
"${PODMAN[@]}" run --rm --network none --entrypoint /bin/cat localhost/faas-video-splitting \
  /var/lang/lib/server/classes.jsa > "$WORK/jdk-default.jsa"
declare -A figures
for run in $(seq 1 "$RUNS"); do
  for archive in with without; do
    [ "$archive" = with ] || [ "$RUNS" -gt 1 ] || continue
    RUN_EXTRA=()
    [ "$archive" = with ] || RUN_EXTRA=(-v "$WORK/jdk-default.jsa:/opt/faas/classes.jsa:ro")
    echo "flow 1 ($archive the class archive, run $run of $RUNS): local-aws (S3Mock, the S3 front's event, each" \
      "container's Runtime API, the Invoke API) ..."
    flow "local-aws-$archive-$run"
    read -r split_ready recognise_ready split_ms recognise_ms outcome < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["splitter_first_poll_epoch_ms"], r["recogniser_first_poll_epoch_ms"], r["split_invoke_ms"],
      r["recognise_invoke_ms"], r["outcome"])' "$WORK/result.json")
    figures[$archive]+="$(( split_ready - started[video-splitting] )) $(( recognise_ready - started[face-recognition] ))"
    figures[$archive]+=" $split_ms $recognise_ms $PEAK_SPLIT $PEAK_RECOGNISE"$'\n'
  done
done
RUN_EXTRA=()
# The medians of each column: cold starts, invokes, peaks (one run: its figures).
medians() { python3 -c '
import statistics, sys
rows = [list(map(int, l.split())) for l in sys.stdin if l.strip()]
print(*[int(statistics.median(c)) for c in zip(*rows)])'; }
read -r split_init recognise_init split_ms recognise_ms split_peak recognise_peak < <(medians <<< "${figures[with]}")
if [ "$RUNS" -gt 1 ]; then
  echo "cold start, invoke, peak (ms, ms, MB; splitter then recogniser), each run with the archive:"
  printf '%s' "${figures[with]}"
  echo "and without:"
  printf '%s' "${figures[without]}"
  echo "medians without the archive: $(medians <<< "${figures[without]}")"
fi
mb() { echo "$(( $1 / 1048576 )) MB"; }

echo "flow 2: the template deployed into moto's CloudFormation, IAM enforced, each function with its role's policies ..."
mkdir -p "$WORK/moto"
MOTO_PID_FILE=$WORK/moto/moto.pid
python3 docker/moto_stack.py up "$WORK/moto" > "$WORK/moto-up.log" 2>&1 || { tail -20 "$WORK/moto-up.log" >&2; fail "moto"; }
stack_line=$(tail -1 "$WORK/moto-up.log")
flow moto "$WORK/moto/moto.json"
moto_outcome=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["outcome"])' "$WORK/result.json")
iam_line=$(python3 docker/moto_stack.py check "$WORK/moto") || fail "IAM checks: $iam_line"

echo "rehearsal: images above the base $(mb "$split_size") (video-splitting), $(mb "$recognise_size") (face-recognition)," \
  "$([ "$ARCH" = amd64 ] && echo "also built by Maven in the builder stage (JARS=maven) in ${build_s[video-splitting-maven]} s / ${build_s[face-recognition-maven]} s;" || echo "for arm64, under emulation (JARS=target only; times ${SLOWDOWN}x allowed);")" \
  "cold start ${split_init} ms / ${recognise_init} ms; invoke ${split_ms} ms / ${recognise_ms} ms;" \
  "peak memory ${split_peak} of ${SPLIT_MB} MB / ${recognise_peak} of ${RECOGNISE_MB} MB;" \
  "upload -> $outcome (expected $EXPECTED); in moto: $stack_line, upload -> $moto_outcome with each role's policies alone;" \
  "$iam_line$([ "$RUNS" = 1 ] || echo "; medians of $RUNS runs")"
