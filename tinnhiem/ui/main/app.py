"""The script Streamlit runs for tinnhiem (see tinnhiem/ui/server.py): the router, dashboard.py.

It sits alone in this folder so that no ``pages/`` folder is beside Streamlit's main script
(Streamlit would then guess an old-style multipage app and show "Page not found" on the
first session opened by URL). Each full rerun runs dashboard.py's code as the main script.
"""

from tinnhiem.ui import server

router = server.router_code()
exec(router, {"__name__": "__main__", "__file__": router.co_filename})
