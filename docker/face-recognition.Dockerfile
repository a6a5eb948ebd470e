# The face-recognition function: its jar (with the model weights inside), its runtime jars and libtorch; no FFmpeg.
# Build context: the project root (template.yaml's DockerContext).
#
# Where the jars come from is the JARS argument:
#   JARS=maven  (the default, what plain `sam build` does) builds them here, in BUILDER_IMAGE, from the sources
#               (Maven Central and the npm registry must be reachable: the weights are fetched and checked);
#   JARS=target takes them from `./mvnw package` run beforehand outside (the rehearsal, CI, quick rebuilds), from
#               JARS_DIR: face-recognition/target for x86_64,
#               face-recognition/target/arm64 after `./mvnw -Parm64 package`.
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
    out=face-recognition/target; profile=; \
    if [ "$TARGETARCH" = arm64 ]; then profile=-Parm64; out=$out/arm64; fi \
    && ./mvnw -B -q $profile -pl face-recognition -am clean package -DskipTests \
    && mkdir /jars && mv "$out/lib" "$out/face-recognition.jar" /jars/

FROM scratch AS target
ARG JARS_DIR=face-recognition/target
COPY ${JARS_DIR}/lib/ /jars/lib/
COPY ${JARS_DIR}/face-recognition.jar /jars/

FROM ${JARS} AS jars

FROM ${BASE_IMAGE}
COPY --from=jars /jars/lib/ ${LAMBDA_TASK_ROOT}/lib/
COPY --from=jars /jars/face-recognition.jar ${LAMBDA_TASK_ROOT}/lib/

# DJL unpacks libtorch (about 430 MB) from the pytorch-native-cpu jar on first use: done here, at image build time,
# into /opt/djl-cache, so a cold start unpacks nothing on Lambda's read-only file system. Offline: never a download.
ENV DJL_CACHE_DIR=/opt/djl-cache \
    DJL_OFFLINE=true \
    JAVA_TOOL_OPTIONS="-Dai.djl.offline=true -Dorg.bytedeco.javacpp.cachedir=/opt/javacpp-cache"
RUN java -cp "${LAMBDA_TASK_ROOT}/lib/*" dev.facerec.recognition.PrepareNatives

# The function's start (docker/lambda-java.sh): an AppCDS archive of what its init loads (the models too), made by a
# training run of that init with stand-in settings (nothing is reached: the endpoints are a closed port, so the
# gallery is not loaded, as when S3 fails at init).
COPY docker/lambda-java.sh /opt/faas/
RUN STAGE_BUCKET=training-stage INPUT_BUCKET=training-input OUTPUT_BUCKET=training-output \
    GALLERY_URI=s3://training-gallery/gallery.json AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training \
    AWS_SECRET_ACCESS_KEY=training AWS_ENDPOINT_URL_S3=http://127.0.0.1:9 AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:9 \
    /opt/faas/lambda-java.sh --train dev.facerec.recognition.lambda.FaceRecognitionHandler::handleRequest

ENTRYPOINT ["/opt/faas/lambda-java.sh"]
CMD ["dev.facerec.recognition.lambda.FaceRecognitionHandler::handleRequest"]
