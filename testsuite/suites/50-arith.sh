# 50-arith.sh - the arithmetic assertion files (testsuite/arith/*.arith,
# docs/testing.md): each is turned into an IR program by arith2yvm.sh and
# run by yvm-run; every assertion counts as one case.
#
# A file's program is run once with no argument (all non-trapping
# assertions; each failure prints a FAIL line). If that run itself traps or
# crashes, each assertion is run alone to tell which ones fail. Every
# trapping assertion is run alone (`prog K`) and must print exactly
# `trap: REASON` on stderr, nothing on stdout, and exit with status 134.

arith_dir=$srcdir/testsuite/arith
arith_tmo=
command -v timeout > /dev/null 2>&1 && arith_tmo="timeout 300"

# arith_run PROG [K]: run one generated program; output in $arith_out /
# $arith_err, exit status in $arith_status.
arith_run() {
    $arith_tmo "$YVM_RUN" "$@" > "$arith_out" 2> "$arith_err" < /dev/null
    arith_status=$?
}

# arith_show FILE...: the first lines of the files, for a failure's detail.
arith_show() {
    cat "$@" 2> /dev/null | head -n 6
}

if [ ! -x "$YVM_RUN" ]; then
    fail "yvm-run missing" "$YVM_RUN is not built: no assertion can run"
else
    for arith in "$arith_dir"/*.arith; do
        name=$(basename "$arith")
        base=$SUITE_TMP/$(basename "$arith" .arith)
        prog=$base.yvm
        arith_out=$base.out
        arith_err=$base.err
        if ! sh "$arith_dir/arith2yvm.sh" "$arith" > "$prog" 2> "$base.conv"; then
            fail "$name: arith2yvm.sh failed" "$(arith_show "$base.conv")"
            continue
        fi
        checks=$(sed -n 's/^; CHECKS: //p' "$prog")
        sed -n 's/^; CASE //p' "$prog" > "$base.cases"
        sed -n 's/^; TRAP //p' "$prog" > "$base.traps"
        ntraps=$(wc -l < "$base.traps")

        # All non-trapping assertions in one run.
        loaded=yes
        arith_run "$prog"
        grep '^FAIL ' "$arith_out" > "$base.fails"
        nfail=$(wc -l < "$base.fails")
        want_status=0
        [ "$nfail" -gt 0 ] && want_status=1
        last=$(tail -n 1 "$arith_out")
        others=$(grep -v '^FAIL ' "$arith_out" | grep -v "^$checks assertions\$")
        if [ "$last" = "$checks assertions" ] && [ ! -s "$arith_err" ] &&
           [ -z "$others" ] && [ "$arith_status" -eq "$want_status" ]; then
            add_counts $((checks - nfail)) 0
            while IFS= read -r l; do
                fail "${l#FAIL }"
            done < "$base.fails"
        elif [ "$arith_status" -eq 134 ] || [ "$arith_status" -gt 128 ]; then
            # The run trapped or crashed part way: run each one alone.
            while read -r k line; do
                arith_run "$prog" "$k"
                if [ "$arith_status" -eq 0 ] && [ ! -s "$arith_out" ] &&
                   [ ! -s "$arith_err" ]; then
                    pass "$name:$line"
                else
                    fail "$name:$line: exit status $arith_status" \
                        "$(arith_show "$arith_out" "$arith_err")"
                fi
            done < "$base.cases"
        else
            # It did not load or did not finish: no assertion was checked.
            loaded=no
            fail "$name: the program did not run to its end (exit status $arith_status)" \
                "$(arith_show "$arith_out" "$arith_err")"
            [ "$checks" -gt 1 ] && add_counts 0 $((checks - 1))
        fi

        # Each trapping assertion alone.
        if [ "$loaded" = no ]; then
            [ "$ntraps" -gt 0 ] && add_counts 0 "$ntraps"
            continue
        fi
        while read -r k line reason; do
            arith_run "$prog" "$k"
            if [ "$arith_status" -eq 134 ] && [ ! -s "$arith_out" ] &&
               printf 'trap: %s\n' "$reason" | cmp -s - "$arith_err"; then
                pass "$name:$line"
            else
                fail "$name:$line: want 'trap: $reason' and exit status 134, got exit status $arith_status" \
                    "$(arith_show "$arith_out" "$arith_err")"
            fi
        done < "$base.traps"
    done
fi
