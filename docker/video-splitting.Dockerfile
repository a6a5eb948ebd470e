# The video-splitting function. Build context: the project root, after `./mvnw package` (template.yaml's
# DockerContext is the root). Holds the function's jar, its runtime jars and FFmpeg's natives; no libtorch, no OpenCV,
# no model weights.
# The base is an argument so that a rehearsal can build on a local stand-in; sam build uses the default.
ARG BASE_IMAGE=public.ecr.aws/lambda/java:21
FROM ${BASE_IMAGE}

# Lambda's Java runtime puts /var/task/lib/*.jar on the class path.
COPY video-splitting/target/lib/ ${LAMBDA_TASK_ROOT}/lib/
COPY video-splitting/target/video-splitting.jar ${LAMBDA_TASK_ROOT}/lib/

# JavaCPP unpacks its natives on first use; Lambda's file system is read-only outside /tmp, and unpacking costs
# seconds of cold start. So they are unpacked here, at image build time, into /opt/javacpp-cache, and the function is
# pointed there. Tiered compilation stopped at C1: a short-lived function gains more from a quick start.
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/opt/javacpp-cache -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
RUN java -cp "${LAMBDA_TASK_ROOT}/lib/*" dev.facerec.splitter.core.PrepareNatives

CMD ["dev.facerec.splitter.lambda.VideoSplittingHandler::handleRequest"]
