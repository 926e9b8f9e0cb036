ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ARG RUN_ID
RUN echo "service image, run ${RUN_ID}" > /service.txt
