# A container with what edgetune's two commands need, on the prerequisites the README
# names: rustup, a C toolchain, pkg-config and OpenSSL's headers, python3, Node.js with
# npm (Debian's 18; scripts/bootstrap.sh brings Node.js 22 into .tools/), and Chromium for
# `make test`'s browser tests.
#
#   docker build -t edgetune .
#   docker run --rm -p 8787:8787 edgetune               # make dev, on http://127.0.0.1:8787
#   docker run --rm edgetune make test                  # every check and test
#
# The first build installs the pinned tools (about 15 minutes on 2 cores); later builds
# reuse that layer while rust-toolchain.toml, Cargo.toml and package-lock.json are unchanged.
FROM debian:bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential ca-certificates curl git make pkg-config libssl-dev \
      python3 python3-venv nodejs npm chromium \
 && rm -rf /var/lib/apt/lists/*

ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo
ENV PATH=/usr/local/cargo/bin:$PATH
RUN curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
      | sh -s -- -y --profile minimal --default-toolchain none

WORKDIR /edgetune
# The tool installs first, from the files that pin them, so that a code change does not
# redo them.
COPY rust-toolchain.toml Cargo.toml package.json package-lock.json ./
COPY scripts/ scripts/
COPY js/package.json js/package.json
RUN bash scripts/bootstrap.sh test

COPY . .
# Inside a container the dev server listens on every interface, so -p can reach it.
ENV DEV_IP=0.0.0.0 WRANGLER_SEND_METRICS=false
EXPOSE 8787
CMD ["make", "dev"]
