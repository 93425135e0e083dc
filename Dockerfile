# sfnsim serve as a container, for teams that run Step Functions Local's image
# (amazon/aws-stepfunctions-local) today: the same port (8083) and the same environment variables.
#
#   docker build -t sfnsim .
#   docker run -p 8083:8083 -v "$PWD/MockConfigFile.json:/mock.json" -e SFN_MOCK_CONFIG=/mock.json sfnsim
#
# SFN_MOCK_CONFIG  a Step Functions Local mock configuration (as --mock-config)
# SFNSIM_ARGS      any other `sfnsim serve` flags, e.g. "--virtual-clock --compat sfn-local --log";
#                  for WAIT_TIME_SCALE=0.01 write "--time-scale 100", for WAIT_TIME_SCALE=0
#                  "--virtual-clock"
#
# Not built by `make test`: the README says so.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY www www
COPY benches benches
RUN cargo build --release --locked --bin sfnsim

FROM debian:bookworm-slim
COPY --from=build /src/target/release/sfnsim /usr/local/bin/sfnsim
EXPOSE 8083
ENV AWS_DEFAULT_REGION=us-east-1 AWS_ACCOUNT_ID=123456789012
ENTRYPOINT ["/bin/sh", "-c", "exec sfnsim serve --host 0.0.0.0 --port 8083 --region \"$AWS_DEFAULT_REGION\" --account \"$AWS_ACCOUNT_ID\" ${SFN_MOCK_CONFIG:+--mock-config \"$SFN_MOCK_CONFIG\"} $SFNSIM_ARGS"]
