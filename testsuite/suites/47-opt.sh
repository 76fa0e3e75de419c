# 47-opt.sh - the optimiser on the program corpus: every
# testsuite/run/NAME.yvm through `yvm-opt -O1` and `yvm-opt -O2`; the
# output must verify and, run by yvm-run as NAME.yvm from its own
# directory, give exactly the stdout, stderr and exit status the program's
# directives expect (as in 40-run). Then each through `yvm-cc -O2`
# (optimised, then compiled) natively, with the same expectations. Without a built yvm-opt the suite
# reports one failure saying so.

. "$srcdir/testsuite/engines.sh"

if [ ! -x "$YVM_OPT" ]; then
    fail "yvm-opt missing: the optimiser was not tested" "$YVM_OPT is not built"
elif [ ! -x "$YVM_RUN" ]; then
    fail "yvm-run missing" "$YVM_RUN is not built"
else
    corpus_run_engines opt-O1 opt-O2
    # Natively too: yvm-cc -O2 is yvm-opt's -O2 (with the prover behind
    # checkelim) followed by the code generator's -O1.
    if [ -x "$YVM_CC" ]; then
        corpus_run_engines cc-O2
    else
        fail "yvm-cc missing: optimised programs were not run natively" "$YVM_CC is not built"
    fi
fi
