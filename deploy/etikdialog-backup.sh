#!/usr/bin/env bash
# Nightly backup of one Etikdialog instance (called from cron.example; README "Backup and restore").
#
# 1. `flask export` writes a dated, compressed (zstd) file and its .sha256 atomically; encrypted to
#    the age public keys in RECIPIENTS_FILE when that is set.
# 2. `sha256sum -c` checks the file as it now lies on the disk.
# 3. `flask backup verify` restores the newest backup into a temporary database and runs the
#    checks of `flask verify`. An encrypted backup needs its private key for that (IDENTITY_FILE);
#    without it only the checksum is checked here, and the full check belongs where the key is.
# 4. Only then are backups older than KEEP_DAYS days deleted, and temporary files that a killed
#    export left behind: a failing night keeps every older file.
#
# Any failure is logged with a line starting "FAILED" and ends the script with a non-zero status, so
# cron mails it (MAILTO) and a monitor can alert on the log line.
set -euo pipefail

APP_DIR=${APP_DIR:-/srv/etikdialog}
BACKUP_DIR=${BACKUP_DIR:-/backup/etikdialog}
KEEP_DAYS=${KEEP_DAYS:-14}
FLASK=${FLASK:-$APP_DIR/.venv/bin/flask}
RECIPIENTS_FILE=${RECIPIENTS_FILE:-} # age public keys (age1…), one a line; empty: not encrypted
IDENTITY_FILE=${IDENTITY_FILE:-}     # the matching private key, to verify an encrypted backup here

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) etikdialog-backup: $*"; }
fail() {
    log "FAILED: $*"
    exit 1
}
trap 'fail "line $LINENO exited with status $?"' ERR

case $KEEP_DAYS in '' | *[!0-9]*) fail "KEEP_DAYS must be a whole number of days, not '$KEEP_DAYS'" ;; esac
[ -d "$BACKUP_DIR" ] || fail "backup directory $BACKUP_DIR does not exist"
cd "$APP_DIR" || fail "cannot enter $APP_DIR"

name="etikdialog-$(date -u +%F).json.zst"
export_options=()
verify_options=()
if [ -n "$RECIPIENTS_FILE" ]; then
    name="$name.age"
    export_options+=(--recipients-file "$RECIPIENTS_FILE")
fi
if [ -n "$IDENTITY_FILE" ]; then
    verify_options+=(--identity "$IDENTITY_FILE")
fi

log "exporting to $BACKUP_DIR/$name"
"$FLASK" --app app export "$BACKUP_DIR/$name" "${export_options[@]}" || fail "flask export exited with status $?"
(cd "$BACKUP_DIR" && sha256sum --quiet -c "$name.sha256") || fail "sha256sum -c $name.sha256 did not pass"

newest=$(find "$BACKUP_DIR" -maxdepth 1 -type f -name 'etikdialog-*.json*' ! -name '*.sha256' -printf '%T@ %p\n' \
    | sort -n | tail -n 1 | cut -d' ' -f2-)
[ -n "$newest" ] || fail "no backup found in $BACKUP_DIR"
if [[ $newest == *.age && -z $IDENTITY_FILE ]]; then
    log "newest backup $newest is encrypted and IDENTITY_FILE is not set: checksum checked, restore not tried here"
else
    log "verifying $newest"
    "$FLASK" --app app backup verify "$newest" "${verify_options[@]}" || fail "flask backup verify $newest exited with status $?"
fi

# Retention: dated backups and their checksums older than KEEP_DAYS days; stale temporary files.
find "$BACKUP_DIR" -maxdepth 1 -type f -name 'etikdialog-*.json*' -mtime +"$KEEP_DAYS" -print -delete \
    || fail "removing old backups failed"
find "$BACKUP_DIR" -maxdepth 1 -type f -name '.etikdialog-*.tmp' -mmin +720 -print -delete \
    || fail "removing stale temporary files failed"
log "done: $BACKUP_DIR/$name"
