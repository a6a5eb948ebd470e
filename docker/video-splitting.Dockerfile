# The video-splitting function: its jar, its runtime jars and FFmpeg's natives; no libtorch, no OpenCV, no weights.
# Build context: the project root (template.yaml's DockerContext).
#
# Where the jars come from is the JARS argument:
#   JARS=maven  (the default, what plain `sam build` does) builds them here, in BUILDER_IMAGE, from the sources;
#   JARS=target takes them from `./mvnw package` run beforehand outside (the rehearsal, CI, quick rebuilds), from
#               JARS_DIR: video-splitting/target for x86_64,
#               video-splitting/target/arm64 after `./mvnw -Parm64 package`.
# The image is for the machine the build is for (TARGETARCH: sam build sets it from the function's Architectures):
# an arm64 image gets the arm64 natives (the arm64 profile, pom.xml). Maven itself runs on the build's own machine.
# BASE_IMAGE and BUILDER_IMAGE are arguments so that a rehearsal can build on local stand-ins.
ARG BASE_IMAGE=public.ecr.aws/lambda/java:21
ARG BUILDER_IMAGE=public.ecr.aws/sam/build-java21
ARG JARS=maven
ARG BUILDPLATFORM=linux/amd64

FROM --platform=${BUILDPLATFORM} ${BUILDER_IMAGE} AS maven
ARG TARGETARCH=amd64
# Extra Maven arguments, and where the wrapper keeps Maven (the rehearsal builds offline from the host's repository).
ARG MAVEN_ARGS=""
ARG MAVEN_USER_HOME=/root/.m2
WORKDIR /src
COPY . .
# clean: what the context brought of an earlier build outside must not end up in the image.
RUN --mount=type=cache,target=/root/.m2 \
    out=video-splitting/target; profile=; \
    if [ "$TARGETARCH" = arm64 ]; then profile=-Parm64; out=$out/arm64; fi \
    && ./mvnw -B -q $profile -pl video-splitting -am clean package -DskipTests \
    && mkdir /jars && mv "$out/lib" "$out/video-splitting.jar" /jars/

FROM scratch AS target
ARG JARS_DIR=video-splitting/target
COPY ${JARS_DIR}/lib/ /jars/lib/
COPY ${JARS_DIR}/video-splitting.jar /jars/

FROM ${JARS} AS jars

FROM ${BASE_IMAGE}
# Lambda's Java runtime puts /var/task/lib/*.jar on the class path.
COPY --from=jars /jars/lib/ ${LAMBDA_TASK_ROOT}/lib/
COPY --from=jars /jars/video-splitting.jar ${LAMBDA_TASK_ROOT}/lib/

# JavaCPP unpacks its natives on first use; Lambda's file system is read-only outside /tmp, and unpacking costs
# seconds of cold start. So they are unpacked here, at image build time, into /opt/javacpp-cache, and the function is
# pointed there.
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/opt/javacpp-cache"
RUN java -cp "${LAMBDA_TASK_ROOT}/lib/*" dev.facerec.splitter.core.PrepareNatives

# The function's start (docker/lambda-java.sh): an AppCDS archive of what its init loads, made by a training run of
# that init with stand-in settings (nothing is reached: the endpoints are a closed port).
COPY docker/lambda-java.sh /opt/faas/
RUN INPUT_BUCKET=training-input STAGE_BUCKET=training-stage OUTPUT_BUCKET=training-output \
    FACE_RECOGNITION_FUNCTION=training AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training \
    AWS_ENDPOINT_URL_S3=http://127.0.0.1:9 AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:9 \
    /opt/faas/lambda-java.sh --train dev.facerec.splitter.lambda.VideoSplittingHandler::handleRequest

ENTRYPOINT ["/opt/faas/lambda-java.sh"]
CMD ["dev.facerec.splitter.lambda.VideoSplittingHandler::handleRequest"]
