#!/bin/sh
# Greets, then names the CPU architecture on its own line so a multi-arch pull shows which child ran.
echo "Hello from the MultiArch slim example"
uname -m
