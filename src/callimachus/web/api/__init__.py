"""The REST API (InvenioRDM routes and shapes, and Zenodo's legacy deposit API)."""
