#!/usr/bin/env bash
# Regenerates clip.h264, the default media source: two seconds of ffmpeg's test
# pattern as raw H.264 Annex-B with the settings moq's own smoke test uses
# (baseline, one keyframe per second, SPS/PPS repeated before every keyframe so
# a late subscriber can start at any keyframe). The harness streams it in real
# time, looping, so a run needs no ffmpeg.
set -euo pipefail
cd "$(dirname "$0")"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc=size=320x240:rate=30" -t 2 \
    -an -c:v libx264 -profile:v baseline -preset ultrafast -pix_fmt yuv420p -crf 30 \
    -x264-params "keyint=30:min-keyint=30:scenecut=0:repeat-headers=1" \
    -f h264 clip.h264
