# Stand-in for the official nginx:<version>-alpine: Debian bookworm's nginx (1.22), with the
# official image's layout (servers in /etc/nginx/conf.d/, no Debian default site), logs on the
# container's stdout and stderr, stopped gracefully with SIGQUIT.
FROM llm-gateway-stand-in/debian:bookworm-minbase
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* \
 && rm -f /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
