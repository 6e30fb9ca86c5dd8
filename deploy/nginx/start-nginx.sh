#!/bin/sh
# The nginx container's entrypoint (docker-compose.yml runs it with /bin/sh,
# so it needs no executable bit). It starts nginx through the image's own
# entrypoint, which renders /etc/nginx/templates/*.template with envsubst,
# and reloads nginx whenever the certificate changes: the certbot service
# renews it in a volume nginx only reads, and cannot signal nginx itself.
set -eu

cert="${NGINX_CERT_DIR:?NGINX_CERT_DIR is not set}/fullchain.pem"
every="${NGINX_CERT_CHECK_SECONDS:-300}"

fingerprint() {
    # sha256sum follows certbot's symlinks to the current archive file.
    sha256sum "$cert" 2>/dev/null || echo none
}

(
    last=$(fingerprint)
    while :; do
        sleep "$every"
        now=$(fingerprint)
        if [ "$now" != "$last" ]; then
            echo "start-nginx.sh: $cert changed, reloading nginx" >&2
            if nginx -s reload; then
                last=$now
            else
                echo "start-nginx.sh: reload failed; nginx keeps the old certificate (retrying in ${every}s)" >&2
            fi
        fi
    done
) &

exec /docker-entrypoint.sh nginx -g 'daemon off;'
