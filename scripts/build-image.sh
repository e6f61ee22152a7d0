#!/usr/bin/env bash
# Builds the container image medlyt:VERSION with podman from the Containerfile, and checks it.
#
# No base image comes from a registry and the build runs nothing inside the image: everything is
# prepared here and copied in.
#   1. a Debian bookworm root file system, `mmdebstrap --variant=minbase` with the packages that
#      hold the libraries the binary links (found with ldd and dpkg -S), the host's Debian apt
#      sources, merged /usr without the usrmerge package (and so without perl), without manuals,
#      translations and documentation (copyright files kept), and a user medlyt (uid and gid
#      10001, home /home/medlyt); kept in target/image/ and made again
#      only when the package list or the sources change (REBUILD_ROOTFS=1 forces it);
#   2. a build context with that tarball, the release binary and the default models;
#   3. podman build -t medlyt:VERSION -f Containerfile CONTEXT;
#   4. the check: the image's file system is exported (podman create + podman export; podman run
#      needs a container runtime that may not be there) and, with chroot as the user medlyt and
#      the image's environment, runs `medlyt --version`, `medlyt analyze` of a transcript and of
#      a recording (report.md must appear) and a sharded `medlyt batch` through sh, the way the
#      README's Kubernetes Job calls it;
#   5. prints the image's size.
#
# Needs root (mmdebstrap, podman, chroot) and the Debian mirror; installs podman and mmdebstrap
# with apt-get when they are missing. Builds the release binary when it is not there.
# Usage: scripts/build-image.sh   (TAG=name:tag, MEDLYT=binary, MIRROR=sources file or URL)
# Then: podman push medlyt:VERSION registry.example.invalid/medlyt:VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$SECONDS
say() { echo "build-image: $*"; }
fail() {
    echo "build-image: FAILED: $*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (mmdebstrap, podman and chroot)"
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bin=${MEDLYT:-target/release/medlyt}
if [ ! -x "$bin" ]; then
    say "no $bin: building it"
    cargo build --release --locked -p medlyt-cli
fi
work="$repo/target/image"
mkdir -p "$work"
# A copy, so that a rebuild meanwhile cannot change what goes into the image.
cp "$bin" "$work/medlyt.bin"
bin="$work/medlyt.bin"
version=$("$bin" --version | awk '{ print $2 }')
[ -n "$version" ] || fail "$bin --version printed no version"
tag=${TAG:-medlyt:$version}

# --- 1. the root file system --------------------------------------------------------------------
# The Debian packages that hold the shared libraries the binary needs.
packages=()
while read -r lib; do
    real=$(readlink -f "$lib")
    pkg=""
    for p in "$real" "${real#/usr}" "/usr$real" "$lib" "${lib#/usr}" "/usr$lib"; do
        pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ] && break
    done
    [ -n "$pkg" ] || fail "no Debian package holds $lib ($real)"
    packages+=("$pkg")
done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
include=$(printf '%s\n' "${packages[@]}" | sort -u | paste -sd, -)
say "medlyt $version links libraries from: $include"

mirror=${MIRROR:-}
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=/etc/apt/sources.list.d/debian.sources
elif [ -z "$mirror" ] && [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
    mirror=/etc/apt/sources.list
fi
# mmdebstrap runs each hook as: sh -c HOOK exec ROOT
user_hook='set -e
echo "medlyt:x:10001:10001:medlyt:/home/medlyt:/usr/sbin/nologin" >>"$1/etc/passwd"
echo "medlyt:x:10001:" >>"$1/etc/group"
echo "medlyt:!:19000::::::" >>"$1/etc/shadow"
mkdir -p "$1/home/medlyt"
chown 10001:10001 "$1/home/medlyt"
chmod 750 "$1/home/medlyt"'
mm=(mmdebstrap --variant=minbase --include="$include"
    --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/doc/*'
    --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --customize-hook="$user_hook"
    bookworm "$work/rootfs.tar")
[ -n "$mirror" ] && mm+=("$mirror")
# Merged /usr made by mmdebstrap's own hook (as debootstrap does) instead of the usrmerge
# package, which would bring perl (40 MB) into the image.
merged_usr=/usr/share/mmdebstrap/hooks/merged-usr
[ -d "$merged_usr" ] && mm=("${mm[0]}" --hook-dir="$merged_usr" "${mm[@]:1}")
key=$(
    printf '%s\n' "${mm[@]}"
    [ -f "$mirror" ] && cat "$mirror"
    true
)
if [ "${REBUILD_ROOTFS:-0}" != 1 ] && [ -f "$work/rootfs.tar" ] && [ "$(cat "$work/rootfs.key" 2>/dev/null)" = "$key" ]; then
    say "root file system: $work/rootfs.tar, made before from the same packages and sources"
else
    say "root file system: mmdebstrap bookworm (sources: ${mirror:-the default Debian mirror})"
    rm -f "$work/rootfs.tar" "$work/rootfs.key"
    t=$SECONDS
    "${mm[@]}" >"$work/mmdebstrap.log" 2>&1 || { tail -n 30 "$work/mmdebstrap.log" >&2; fail "mmdebstrap failed (log: $work/mmdebstrap.log)"; }
    printf '%s' "$key" >"$work/rootfs.key"
    say "root file system made in $((SECONDS - t)) s: $(du -h "$work/rootfs.tar" | cut -f1)"
fi

# --- 2. the build context -----------------------------------------------------------------------
ctx="$work/context"
rm -rf "$ctx"
mkdir -p "$ctx/models"
ln "$work/rootfs.tar" "$ctx/rootfs.tar" 2>/dev/null || cp "$work/rootfs.tar" "$ctx/rootfs.tar"
cp "$bin" "$ctx/medlyt"
models=(ggml-base-q8_0.bin manifest.json)
for pattern in 'ggml-silero-*.bin' 'speaker-*.safetensors' 'words-*.txt'; do
    found=$(cd models && compgen -G "$pattern" || true)
    [ -n "$found" ] || fail "no models/$pattern: run scripts/get-models.sh"
    while read -r f; do models+=("$f"); done <<<"$found"
done
for f in "${models[@]}"; do
    [ -f "models/$f" ] || fail "no models/$f: run scripts/get-models.sh"
    ln "models/$f" "$ctx/models/$f" 2>/dev/null || cp "models/$f" "$ctx/models/$f"
done
say "context: rootfs.tar, medlyt, models/{$(IFS=,; echo "${models[*]}")}"

# --- 3. the image -------------------------------------------------------------------------------
old_id=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
t=$SECONDS
podman build -q -t "$tag" --label org.opencontainers.image.version="$version" \
    --label org.opencontainers.image.title=medlyt -f Containerfile "$ctx" >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; fail "podman build failed"; }
new_id=$(podman image inspect --format '{{.Id}}' "$tag")
say "built $tag (${new_id:0:12}) in $((SECONDS - t)) s"
# The image this tag named before, now without a name: removed (unless a container uses it).
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ] \
    && [ "$(podman image inspect --format '{{len .RepoTags}}' "$old_id" 2>/dev/null)" = 0 ]; then
    podman rmi "$old_id" >/dev/null 2>&1 || true
fi

# --- 4. the check -------------------------------------------------------------------------------
cfg() { podman image inspect --format "$1" "$tag"; }
[ "$(cfg '{{.Config.User}}')" = medlyt ] || fail "the image does not run as the user medlyt"
[ "$(cfg '{{json .Config.Entrypoint}}')" = '["/usr/local/bin/medlyt"]' ] || fail "entry point: $(cfg '{{json .Config.Entrypoint}}')"
mapfile -t image_env < <(cfg '{{range .Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
printf '%s\n' "${image_env[@]}" | grep -qx 'MEDLYT_MODELS=/opt/medlyt/models' || fail "MEDLYT_MODELS is not set in the image"
workdir=$(cfg '{{.Config.WorkingDir}}')

root="$work/check-root"
rm -rf "$root"
mkdir -p "$root"
container=$(podman create "$tag")
podman export "$container" | tar -x -p --numeric-owner -C "$root"
podman rm "$container" >/dev/null
grep -q '^medlyt:x:10001:10001:' "$root/etc/passwd" || fail "no user medlyt in the image's /etc/passwd"
check="$root/home/medlyt/check"
mkdir -p "$check/in"
cp fixtures/transcripts/jobcenter-escalation-da.json fixtures/calls/en-citizen-service-8k-mulaw.wav \
    fixtures/transcripts-in/teams-2spk-voice-tags.vtt fixtures/bad/transcript-times-1e15.json "$check/in/"
chown -R 10001:10001 "$check"
# As the image's user, with only the image's environment, in its working folder.
in_image() { chroot --userspec=medlyt:medlyt "$root" /usr/bin/env -i -C "$workdir" "${image_env[@]}" HOME=/home/medlyt "$@"; }

got=$(in_image /usr/local/bin/medlyt --version) || fail "medlyt --version failed in the image"
[ "$got" = "medlyt $version" ] || fail "medlyt --version in the image printed: $got"
say "in the image, as $(in_image id -un) (uid $(in_image id -u)): $got"
in_image /usr/local/bin/medlyt analyze check/in/jobcenter-escalation-da.json -o check/transcript --quiet \
    >"$work/check-transcript.log" 2>&1 || { cat "$work/check-transcript.log" >&2; fail "medlyt analyze of a transcript failed in the image"; }
[ -s "$check/transcript/report.md" ] || fail "no report.md from the transcript"
say "in the image: medlyt analyze of a transcript wrote report.md ($(wc -l <"$check/transcript/report.md") lines)"
t=$SECONDS
in_image /usr/local/bin/medlyt analyze check/in/en-citizen-service-8k-mulaw.wav -o check/recording --quiet \
    >"$work/check-recording.log" 2>&1 || { cat "$work/check-recording.log" >&2; fail "medlyt analyze of a recording failed in the image"; }
[ -s "$check/recording/report.md" ] && [ -s "$check/recording/transcript.json" ] || fail "no report.md and transcript.json from the recording"
grep -q '"name": "base-q8_0"' "$check/recording/transcript.json" || fail "the recording was not transcribed with the image's base-q8_0 model"
grep -q '"detected": "en"' "$check/recording/transcript.json" || fail "the English recording was not heard as English"
texts=$(grep -c '"text"' "$check/recording/transcript.json" || true)
[ "$texts" -ge 10 ] || fail "the recording's transcript holds only $texts texts"
say "in the image: medlyt analyze of a recording (36 s, 8 kHz mu-law, English) transcribed it with base-q8_0 ($texts texts) and wrote report.md in $((SECONDS - t)) s"
set +e
in_image sh -c 'medlyt batch check/in --shard 0/1 -o check/results/shard-0 --parallel 2 --quiet; rc=$?; [ "$rc" -eq 0 ] || [ "$rc" -eq 12 ]' \
    >"$work/check-batch.log" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat "$work/check-batch.log" >&2; fail "medlyt batch through sh failed in the image"; }
calls=$(wc -l <"$check/results/shard-0/results.jsonl")
failed=$(wc -l <"$check/results/shard-0/failures.jsonl")
[ "$calls" -ge 3 ] && [ "$failed" -ge 1 ] || fail "the batch in the image gave $calls calls, $failed failed"
say "in the image: sh -c 'medlyt batch ... --shard 0/1 ...' (as in the Kubernetes Job): $calls calls, $failed failed (the transcript past the 24 h limit), exit code accepted"
rm -rf "$root"

# --- 5. the size --------------------------------------------------------------------------------
bytes=$(cfg '{{.Size}}')
say "image $tag: $((bytes / 1000000)) MB ($bytes bytes); of it the binary $(($(stat -c %s "$bin") / 1000000)) MB," \
    "the models $(($(du -sb "$ctx/models" | cut -f1) / 1000000)) MB, the root file system" \
    "$(($(stat -c %s "$work/rootfs.tar") / 1000000)) MB"
podman images --filter reference="${tag%%:*}" 
say "done in $((SECONDS - started)) s; to publish: podman push $tag registry.example.invalid/$tag"
