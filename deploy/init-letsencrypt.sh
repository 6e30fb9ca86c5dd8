#!/usr/bin/env bash
# Obtains NoxChat's first Let's Encrypt certificate.
#
#   deploy/init-letsencrypt.sh [--staging] [--force] <domain> <email>
#
# nginx cannot start without a certificate, and Let's Encrypt will not issue
# one until nginx answers its HTTP challenge. So this script:
#   1. makes a temporary self-signed certificate where nginx expects the
#      real one (/etc/letsencrypt/live/<domain>/),
#   2. starts nginx,
#   3. obtains the real certificate with certbot through the webroot
#      challenge (nginx serves /.well-known/acme-challenge/ from the webroot),
#   4. puts it in the temporary one's place and reloads nginx.
# From then on the certbot service renews it, and nginx reloads by itself
# when it changes.
#
#   --staging  use Let's Encrypt's staging server (untrusted certificates,
#              generous limits): a dry run of the whole flow. Run again
#              without it for the real certificate.
#   --force    obtain a new certificate even if a valid one is in place.
#
# By default every step runs through Docker Compose in this folder. Each can
# be replaced through the environment, e.g. to test the flow against Pebble
# without Docker:
#
#   COMPOSE           the compose command          (docker compose)
#   CERT_SHELL        runs one shell script where the certificates live
#                     ($COMPOSE run --rm --no-deps --entrypoint sh certbot -c)
#   CERTBOT_CMD       runs certbot                 ($COMPOSE run --rm --no-deps --entrypoint certbot certbot)
#   NGINX_START_CMD   starts nginx                 ($COMPOSE up -d nginx)
#   NGINX_RELOAD_CMD  reloads nginx                ($COMPOSE exec -T nginx nginx -s reload)
#   LETSENCRYPT_DIR   certbot's configuration folder, as CERT_SHELL and
#                     certbot see it               (/etc/letsencrypt)
#   WEBROOT           the challenge folder, as certbot sees it (/var/www/certbot)
#   ACME_SERVER       the ACME directory URL       (Let's Encrypt's, or its
#                     staging one with --staging)
#   RSA_KEY_SIZE      the temporary certificate's key size (2048)
#   NGINX_WAIT_SECONDS  how long to wait for nginx to come up (60)
#
# Each *_CMD and CERT_SHELL is a shell command line: it may hold options and
# quoted arguments (`certbot --config-dir '/tmp/le' --no-verify-ssl`).

set -euo pipefail

readonly LETSENCRYPT_PRODUCTION=https://acme-v02.api.letsencrypt.org/directory
readonly LETSENCRYPT_STAGING=https://acme-staging-v02.api.letsencrypt.org/directory

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
program=$(basename "$0")

usage() {
    echo "usage: $program [--staging] [--force] <domain> <email>"
}

die() {
    echo "$program: $*" >&2
    exit 1
}

say() {
    echo "### $*"
}

# Runs a configurable command line with extra arguments appended, each
# passed as one word whatever it holds.
run() {
    local command_line=$1
    shift
    bash -c "$command_line \"\$@\"" "$program" "$@"
}

staging=0
force=0
positional=()
while (($# > 0)); do
    case $1 in
        --staging) staging=1 ;;
        --force) force=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        --)
            shift
            positional+=("$@")
            break
            ;;
        -*)
            usage >&2
            die "unknown option: $1"
            ;;
        *) positional+=("$1") ;;
    esac
    shift
done
if ((${#positional[@]} != 2)); then
    usage >&2
    exit 2
fi
domain=${positional[0]}
email=${positional[1]}

[[ $domain =~ ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$ ]] ||
    die "\`$domain\` is not a domain name such as chat.example.org"
[[ $email == ?*@?*.?* && $email != *[[:space:]]* ]] ||
    die "\`$email\` is not an email address"

compose=${COMPOSE:-docker compose}
cert_shell=${CERT_SHELL:-$compose run --rm --no-deps --entrypoint sh certbot -c}
certbot_cmd=${CERTBOT_CMD:-$compose run --rm --no-deps --entrypoint certbot certbot}
nginx_start=${NGINX_START_CMD:-$compose up -d nginx}
nginx_reload=${NGINX_RELOAD_CMD:-$compose exec -T nginx nginx -s reload}
le_dir=${LETSENCRYPT_DIR:-/etc/letsencrypt}
webroot=${WEBROOT:-/var/www/certbot}
rsa_key_size=${RSA_KEY_SIZE:-2048}
nginx_wait=${NGINX_WAIT_SECONDS:-60}
if [[ -n ${ACME_SERVER:-} ]]; then
    acme_server=$ACME_SERVER
    ((staging == 0)) || say "ACME_SERVER is set: --staging changes nothing"
elif ((staging == 1)); then
    acme_server=$LETSENCRYPT_STAGING
else
    acme_server=$LETSENCRYPT_PRODUCTION
fi

# Under Docker Compose the commands run in this folder, beside .env and
# docker-compose.yml, whose domain must be this one.
cd "$here"
if [[ -z ${CERT_SHELL:-} || -z ${CERTBOT_CMD:-} || -z ${NGINX_START_CMD:-} ]]; then
    [[ -f .env ]] || die "no $here/.env: copy .env.example to .env and edit it first"
    configured=$(sed -n 's/^NOXCHAT_DOMAIN=//p' .env | tail -n 1 | tr -d "\"'[:space:]")
    [[ $configured == "$domain" ]] ||
        die "NOXCHAT_DOMAIN in .env is \`$configured\`, not \`$domain\`: nginx would look for another certificate"
fi

q_live=$(printf '%q' "$le_dir/live/$domain")
q_parked=$(printf '%q' "$le_dir/noxchat-temporary/$domain")
q_renewal=$(printf '%q' "$le_dir/renewal/$domain.conf")
q_archive=$(printf '%q' "$le_dir/archive/$domain")

# 1. What is there already?
renewal_conf=$(run "$cert_shell" "cat $q_renewal 2>/dev/null || true")
certbot_args=(certonly --webroot --webroot-path "$webroot"
    --cert-name "$domain" --domain "$domain"
    --email "$email" --agree-tos --no-eff-email --non-interactive
    --server "$acme_server")
((staging == 0)) || certbot_args+=(--break-my-certs)

if [[ -n $renewal_conf ]]; then
    # A certificate certbot manages: no temporary one is needed, nginx runs.
    current_server=$(sed -n 's/^server *= *//p' <<<"$renewal_conf" | tail -n 1)
    if ((force == 0)) && [[ $current_server == "$acme_server" ]]; then
        say "$domain already has a certificate from $acme_server; the certbot service renews it."
        say "Run with --force to replace it anyway."
        exit 0
    fi
    say "Replacing $domain's certificate (from ${current_server:-an unknown server}) with one from $acme_server"
    run "$certbot_cmd" "${certbot_args[@]}" --force-renewal
    run "$nginx_reload"
    say "Done: nginx serves the new certificate for $domain."
    exit 0
fi

# 2. A temporary certificate, so that nginx can start.
say "Making a temporary self-signed certificate for $domain"
run "$cert_shell" "set -e
if [ -d $q_live ] && [ ! -e $q_live/.noxchat-temporary ]; then
    echo 'A certificate certbot does not manage is in the way; move it elsewhere first:' $q_live >&2
    exit 1
fi
rm -rf $q_parked
mkdir -p $q_live
openssl req -x509 -nodes -newkey rsa:$rsa_key_size -days 2 \
    -keyout $q_live/privkey.pem -out $q_live/fullchain.pem \
    -subj '/CN=$domain' >/dev/null 2>&1
cp $q_live/fullchain.pem $q_live/chain.pem
touch $q_live/.noxchat-temporary"

# 3. nginx, answering the challenge.
say "Starting nginx"
run "$nginx_start"
waited=0
until run "$nginx_reload" >/dev/null 2>&1; do
    ((waited < nginx_wait)) || die "nginx did not come up within ${nginx_wait}s (see its logs)"
    sleep 1
    waited=$((waited + 1))
done

# 4. The real certificate. certbot will not write into a live folder it did
# not make: park the temporary one (nginx has it loaded) and put it back if
# certbot fails, so that nginx can still restart.
parked=0
unpark() {
    ((parked == 1)) || return 0
    run "$cert_shell" "if [ ! -e $q_live/fullchain.pem ] && [ -d $q_parked ]; then
    rm -rf $q_live && mv $q_parked $q_live
fi" || echo "$program: could not put the temporary certificate back in $le_dir/live/$domain" >&2
}
trap unpark EXIT

say "Requesting a certificate for $domain from $acme_server"
run "$cert_shell" "set -e
mkdir -p $(printf '%q' "$le_dir/noxchat-temporary")
mv $q_live $q_parked
rm -rf $q_archive"
parked=1
if ! run "$certbot_cmd" "${certbot_args[@]}"; then
    die "certbot failed (see above). Check that DNS points $domain at this server and that port 80 is reachable from the internet; try --staging first."
fi
run "$cert_shell" "rm -rf $q_parked"
parked=0

say "Reloading nginx"
run "$nginx_reload"
say "Done: https://$domain/ is served with its certificate."
if ((staging == 1)); then
    say "This was a staging certificate (browsers do not trust it): run again without --staging for the real one."
fi
