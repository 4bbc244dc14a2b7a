"""Rebuild encrypted.xls: LibreOffice saves a workbook as .xls with an open password (BIFF FILEPASS).

Run with the system Python that has LibreOffice's UNO bridge:
    /usr/bin/python3 tests/data/ingest/make_encrypted_xls.py SOURCE.xlsx tests/data/ingest/encrypted.xls "MS Excel 97"
"""
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
src, dst = sys.argv[1], sys.argv[2]
pipe = "ingestenc"
proc = subprocess.Popen(["soffice", "--headless", "--norestore", "-env:UserInstallation=file:///tmp/lo_profile_encrypt",
                         f"--accept=pipe,name={pipe};urp;"])
ctx = uno.getComponentContext()
resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
for _ in range(100):
    try:
        remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"); break
    except Exception:
        time.sleep(0.2)
desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
def pv(n, v):
    p = PropertyValue(); p.Name, p.Value = n, v; return p
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (pv("Hidden", True),))
doc.storeToURL(uno.systemPathToFileUrl(dst), (pv("FilterName", sys.argv[3]), pv("Password", "secret")))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
proc.wait(timeout=30)
