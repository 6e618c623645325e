"""Blob storage behind one small interface: a local folder or an S3-compatible object store."""
