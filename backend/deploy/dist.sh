#!/usr/bin/env bash
# Builds the release artefact of ВСОК ДО: a Debian package that installs and upgrades the
# system on a municipal server without Node.js (docs/install.md). Called by `make dist`,
# which first builds build/release/vsokd and frontend/dist.
#
#   backend/deploy/dist.sh     -> build/dist/vsok_<version>_<arch>.deb
#
# The package holds
#   /usr/sbin/vsokd                       the release binary (debug symbols stripped; kept
#                                         in build/dist/vsokd-<version>.debug)
#   /usr/sbin/vsok-admin                  database and maintenance commands (backend/deploy/vsok-admin)
#   /usr/share/vsok/www/                  the built front end (frontend/dist)
#   /usr/share/vsok/sql/                  db.sh, backup.sh, migrations/, instruments/ (no demo seed)
#   /lib/systemd/system/vsokd.service     backend/deploy/vsokd.service
#   /etc/vsok/vsokd.env                   backend/deploy/vsokd.env.example        (conffile)
#   /etc/nginx/sites-available/vsok.conf  nginx/production/vsok.conf             (conffile)
#   /etc/nginx/snippets/vsok-*.conf       nginx/snippets/                        (conffiles)
#   /usr/share/doc/vsok/                  README.md, install.md, runtime.md, copyright
# and the maintainer scripts of backend/deploy/debian/. Its dependencies are the packages of
# the libraries vsokd links (dpkg-shlibdeps) and the programs the scripts and vsokd run.
#
# The version is the one vsokd reports (`vsokd version`, from `git describe`), made a Debian
# version that sorts in commit order:
#   v1.4.0 / 1.4.0             -> 1.4.0
#   v1.4.0-3-gabc1234          -> 1.4.0+3.gabc1234          (3 commits after the tag)
#   abc1234 (no tag yet)       -> 0+git20261207.163000.gabc1234   (the commit's UTC time)
#   any of them with -dirty    -> the same with .dirty appended
#
# Variables: VSOK_DIST_BIN (default build/release/vsokd), VSOK_DIST_WWW (frontend/dist),
# VSOK_DIST_OUT (build/dist), VSOK_DIST_MAINTAINER.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BIN=${VSOK_DIST_BIN:-build/release/vsokd}
WWW=${VSOK_DIST_WWW:-frontend/dist}
OUT=${VSOK_DIST_OUT:-build/dist}
MAINTAINER=${VSOK_DIST_MAINTAINER:-ВСОК ДО <vsok@example.ru>}
DEPLOY=backend/deploy

# Programs run by vsokd and the scripts of the package, beyond the libraries vsokd links:
# the mariadb client (migrations, backups), nginx in front, vipsthumbnail and vips
# (previews, copies without location), deb-systemd-helper (the maintainer scripts).
DEPENDS_TOOLS='mariadb-client, nginx, libvips-tools, init-system-helpers'
# A database on this host, video posters, certificates for SMTP over TLS.
RECOMMENDS='mariadb-server, ffmpeg, ca-certificates'

die() { printf 'dist: %s\n' "$*" >&2; exit 1; }
say() { printf 'dist: %s\n' "$*"; }

[[ -x $BIN ]] || die "$BIN not found: make build/release/vsokd"
[[ -f $WWW/index.html ]] || die "$WWW/index.html not found: make frontend"
for tool in dpkg-deb dpkg-shlibdeps objcopy strip; do
    command -v "$tool" >/dev/null || die "$tool is needed (packages dpkg, dpkg-dev, binutils: make deps-build)"
done

# The Debian version of the `vsokd version` string (see above).
deb_version() {
    local v=$1 dirty='' when
    [[ $v == *-dirty ]] && dirty=.dirty && v=${v%-dirty}
    if [[ $v =~ ^[0-9a-f]{7,40}$ ]]; then # a commit (a tag is v1.2.3 or 1.2.3)
        when=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y%m%d.%H%M%S "$v" 2>/dev/null) ||
            die "commit $v of the version is not in this repository"
        printf '0+git%s.g%s%s' "$when" "$v" "$dirty"
    elif [[ $v =~ ^v?([0-9][A-Za-z0-9.~]*)-([0-9]+)-g([0-9a-f]+)$ ]]; then
        printf '%s+%s.g%s%s' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "$dirty"
    elif [[ $v =~ ^v?([0-9][A-Za-z0-9.~]*)$ ]]; then
        printf '%s%s' "${BASH_REMATCH[1]}" "$dirty"
    else
        die "vsokd's version '$1' is neither a tag (v1.2.3) nor a commit: build from a git checkout"
    fi
}

VSOK_VERSION=$("$BIN" version)
VERSION=$(deb_version "$VSOK_VERSION")
ARCH=$(dpkg --print-architecture)
DEB=$OUT/vsok_${VERSION}_$ARCH.deb
say "vsokd $VSOK_VERSION -> package version $VERSION"

# The tree is built where dpkg-shlibdeps expects a package's files: debian/<package>/.
STAGE=$OUT/stage
PKG=$STAGE/debian/vsok
rm -rf "$STAGE" "$OUT"/vsok_*.deb "$OUT"/vsokd-*.debug
mkdir -p "$PKG/DEBIAN"

inst() { # mode source target (directories made 0755)
    install -D -m "$1" "$2" "$PKG$3"
}

inst 0755 "$BIN" /usr/sbin/vsokd
objcopy --only-keep-debug "$PKG/usr/sbin/vsokd" "$OUT/vsokd-$VSOK_VERSION.debug"
strip --strip-unneeded "$PKG/usr/sbin/vsokd"
inst 0755 "$DEPLOY/vsok-admin" /usr/sbin/vsok-admin

mkdir -p "$PKG/usr/share/vsok/www"
cp -R "$WWW/." "$PKG/usr/share/vsok/www/"
inst 0755 sql/db.sh /usr/share/vsok/sql/db.sh
inst 0755 sql/backup.sh /usr/share/vsok/sql/backup.sh
for f in sql/migrations/*.sql sql/instruments/*.json; do inst 0644 "$f" "/usr/share/vsok/$f"; done

inst 0644 "$DEPLOY/vsokd.service" /lib/systemd/system/vsokd.service
inst 0640 "$DEPLOY/vsokd.env.example" /etc/vsok/vsokd.env
inst 0644 nginx/production/vsok.conf /etc/nginx/sites-available/vsok.conf
for f in nginx/snippets/vsok-*.conf; do inst 0644 "$f" "/etc/nginx/snippets/${f##*/}"; done

for f in README.md docs/install.md docs/runtime.md; do inst 0644 "$f" "/usr/share/doc/vsok/${f##*/}"; done
inst 0644 LICENSE /usr/share/doc/vsok/copyright

# Plain permissions whatever the umask of the checkout; /etc/vsok is the one private directory
# (its group becomes vsokd's in postinst).
find "$PKG" -path "$PKG/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
find "$PKG/usr/share/vsok/www" -type f -exec chmod 0644 {} +
chmod 0750 "$PKG/etc/vsok"

# Nothing of the front end's build tooling belongs in the package.
if find "$PKG" -name node_modules -o -name package.json -o -name '*.mjs' -o -name '*.cjs' | grep -q .; then
    die "the package tree holds Node.js files (node_modules, package.json, *.mjs)"
fi

for s in postinst prerm postrm; do install -m 0755 "$DEPLOY/debian/$s" "$PKG/DEBIAN/$s"; done
(cd "$PKG" && find etc -type f | sort | sed 's|^|/|') >"$PKG/DEBIAN/conffiles"

printf 'Source: vsok\n\nPackage: vsok\nArchitecture: any\n' >"$STAGE/debian/control"
SHLIBS=$(cd "$STAGE" && dpkg-shlibdeps -O -e"debian/vsok/usr/sbin/vsokd") || die "dpkg-shlibdeps failed"
SHLIBS=${SHLIBS#shlibs:Depends=}
[[ -n $SHLIBS ]] || die "dpkg-shlibdeps found no libraries"

cat >"$PKG/DEBIAN/control" <<EOF
Package: vsok
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
Depends: $SHLIBS, $DEPENDS_TOOLS
Recommends: $RECOMMENDS
Suggests: certbot
Section: web
Priority: optional
Description: ВСОК ДО: monitoring of the quality of preschool education
 The application server vsokd (FastCGI, run by systemd as vsokd.service), the
 single-page front end served by nginx, the database migrations and the
 administration commands (vsok-admin) of ВСОК ДО. vsokd version $VSOK_VERSION.
 .
 First installation: /usr/share/doc/vsok/install.md.
EOF

dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
rm -rf "$STAGE"
say "$DEB ($(du -h "$DEB" | cut -f1))"
