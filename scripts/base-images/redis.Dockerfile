# Stand-in for the official redis:<version>-alpine: Debian bookworm's redis-server (7.0), run as
# the `redis` user in /data (a volume), like the official image.
FROM llm-gateway-stand-in/debian:bookworm-minbase
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir /data && chown redis:redis /data
COPY redis-server.sh /usr/local/bin/redis-server
WORKDIR /data
VOLUME /data
USER redis
EXPOSE 6379
CMD ["redis-server"]
