"""Document helpers shared by every app: HTML to PDF, xlsx workbooks, Chinese date and hour
texts, and download responses. Plain Python over WeasyPrint, openpyxl and Django's HTTP
classes: nothing here imports a Luodi app."""
