"""A page's fragment rerun, the baseline's way: the page (``BENCH_PAGE``) runs whole once,
keeping the function it decorates with ``st.fragment`` and the arguments the page called it
with; every later run calls only that function with them, as Streamlit does when the
fragment reruns (a ballot typed at the desk, the hall screen's or the results table's
timer). What the page left in session state stays."""

import os
import runpy

import streamlit as st

KEY = "bench.fragment"
kept = st.session_state.get(KEY)
if kept is None:
    real = st.fragment

    def recording(func=None, **options):
        def wrap(function):
            fragment = real(function, **options)

            def called(*args, **kwargs):
                st.session_state[KEY] = (fragment, args, kwargs)
                return fragment(*args, **kwargs)

            return called

        return wrap(func) if func is not None else wrap

    st.fragment = recording
    try:
        runpy.run_path(os.environ["BENCH_PAGE"], run_name="__main__")
    finally:
        st.fragment = real
else:
    fragment, args, kwargs = kept
    fragment(*args, **kwargs)
