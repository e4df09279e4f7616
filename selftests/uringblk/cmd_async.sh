#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs cmd_async (commands linked, from SQPOLL and from io-wq) as the last
# test: see cmd_async.c for why it goes after everything else.
cd "$(dirname "$0")" || exit 1
exec ./cmd_async "$@"
