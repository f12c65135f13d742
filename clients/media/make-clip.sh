#!/usr/bin/env bash
# Regenerates the committed clips, the media source for stdin publishers: two
# seconds of ffmpeg's test pattern as raw H.264 Annex-B with the settings moq's own
# smoke test uses (baseline, SPS/PPS repeated before every keyframe so a late
# subscriber can start at any keyframe), at two keyframe intervals:
#   clip.h264           30 frames, one keyframe a second, as upstream (--gop 1s, the default)
#   clip-gop200ms.h264   6 frames, one keyframe every 200 ms (--gop 200ms)
# The harness streams a clip in real time, looping, and never runs this script.
# ffmpeg comes from PATH, else from PyPI: the imageio-ffmpeg wheel bundles a static
# ffmpeg with libx264, installed into a scratch venv (with uv when there is one).
# Usage: make-clip.sh [FILE ...]   (default: both clips)
set -euo pipefail
cd "$(dirname "$0")"

ffmpeg=$(command -v ffmpeg || true)
if [ -z "$ffmpeg" ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    if command -v uv >/dev/null 2>&1; then
        uv venv --quiet "$scratch/venv"
        uv pip install --quiet --python "$scratch/venv/bin/python" imageio-ffmpeg
    else
        python3 -m venv "$scratch/venv"
        "$scratch/venv/bin/pip" install --quiet imageio-ffmpeg
    fi
    ffmpeg=$("$scratch/venv/bin/python" -c 'import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())')
fi

# clip FILE KEYFRAME_INTERVAL_IN_FRAMES
clip() {
    "$ffmpeg" -hide_banner -loglevel error -y -f lavfi -i "testsrc=size=320x240:rate=30" -t 2 \
        -an -c:v libx264 -profile:v baseline -preset ultrafast -pix_fmt yuv420p -crf 30 \
        -x264-params "keyint=$2:min-keyint=$2:scenecut=0:repeat-headers=1" \
        -f h264 "$1"
}

[ $# -gt 0 ] || set -- clip.h264 clip-gop200ms.h264
for file in "$@"; do
    case "$file" in
        clip.h264) clip "$file" 30 ;;
        clip-gop200ms.h264) clip "$file" 6 ;;
        *) echo "make-clip: unknown clip $file (clip.h264 or clip-gop200ms.h264)" >&2; exit 2 ;;
    esac
done
