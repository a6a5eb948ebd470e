# The face-recognition function. Build context: the project root, after `./mvnw package`. Holds the function's jar
# (with the model weights inside), its runtime jars and libtorch; no FFmpeg.
# The base is an argument so that a rehearsal can build on a local stand-in; sam build uses the default.
ARG BASE_IMAGE=public.ecr.aws/lambda/java:21
FROM ${BASE_IMAGE}

COPY face-recognition/target/lib/ ${LAMBDA_TASK_ROOT}/lib/
COPY face-recognition/target/face-recognition.jar ${LAMBDA_TASK_ROOT}/lib/

# DJL unpacks libtorch (about 430 MB) from the pytorch-native-cpu jar on first use: done here, at image build time,
# into /opt/djl-cache, so a cold start unpacks nothing on Lambda's read-only file system. Offline: never a download.
ENV DJL_CACHE_DIR=/opt/djl-cache \
    DJL_OFFLINE=true \
    JAVA_TOOL_OPTIONS="-Dai.djl.offline=true -Dorg.bytedeco.javacpp.cachedir=/opt/javacpp-cache -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
RUN java -cp "${LAMBDA_TASK_ROOT}/lib/*" dev.facerec.recognition.PrepareNatives

CMD ["dev.facerec.recognition.lambda.FaceRecognitionHandler::handleRequest"]
