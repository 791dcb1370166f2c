"""Backup files on disk: written atomically, compressed, optionally encrypted, with a SHA-256 beside.

Writing (`Encoder`, `atomic_file`): the export's text goes through UTF-8, then gzip or zstd, then optionally age
encryption, and is hashed on its way into a temporary file in the target's own directory. Only a
finished export is fsynced and renamed to its final name (and the directory fsynced), so a crash or
`kill -9` never leaves a truncated file there; `FILE.sha256` (the `sha256sum` format, so
`sha256sum -c` works) is written the same way after it. A killed export can leave its hidden
temporary file (`.FILE.*.tmp`) behind, which deploy/etikdialog-backup.sh removes.

Reading (`reading`): the format is told by its first bytes, not its name, so an old uncompressed
JSON export still imports: age (binary or armored) is decrypted with the given identities, then gzip
or zstd is decompressed, each as a stream and in bounded steps, so the import's memory stays flat
however well the data compresses. A truncated or changed
file is refused: age authenticates every 64 KiB chunk and the end, gzip has its CRC and length, and
zstd frames are written with a checksum and must be complete.

Encryption runs in a thread (pyrage streams from one file object into another) joined through an
OS pipe, so neither side holds more than a pipe's worth of data.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyrage
import zstandard

from app.backup.services import ImportRefused

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
AGE_MAGIC = b"age-encryption.org/v1"
AGE_ARMOR_MAGIC = b"-----BEGIN AGE ENCRYPTED FILE-----"
COMPRESSIONS = ("gzip", "zstd", "none")
GZIP_LEVEL = 6  # the gzip tool's default; 9 is several times slower for a few per cent
ZSTD_LEVEL = 3  # the zstd tool's default
CHUNK = 1024 * 1024  # bytes read or buffered at a time
ZSTD_STEP = 1024  # compressed bytes per zstd step: at most 256 blocks, 32 MiB out
MAX_RECIPIENTS = 100  # a recipients file longer than this is a mistake, not a team


class BackupFileError(ImportRefused):
    """The file cannot be read, decrypted or decompressed whole; the message says why."""


# --- Choices from the command line ----------------------------------------------------------


def compression_for(name: str) -> str:
    """gzip for *.gz, zstd for *.zst, otherwise none; a trailing .age is looked through."""
    name = name.lower().removesuffix(".age")
    if name.endswith(".gz"):
        return "gzip"
    if name.endswith(".zst"):
        return "zstd"
    return "none"


def recipients(values: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> list:
    """age recipients from `--recipient age1…` values and `--recipients-file` lines (# comments)."""
    texts = list(values)
    for path in files:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise BackupFileError(f"Cannot read the recipients file {path} ({error}).") from error
        texts += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if len(texts) > MAX_RECIPIENTS:
        raise BackupFileError(f"At most {MAX_RECIPIENTS} recipients.")
    parsed = []
    for text in texts:
        try:
            parsed.append(pyrage.x25519.Recipient.from_str(text))
        except Exception as error:  # pyrage.RecipientError, and ValueError for a non-age string
            raise BackupFileError(f"Not an age public key (age1…): {text[:80]!r}.") from error
    return parsed


def identities(files: tuple[str, ...]) -> list:
    """age identities (AGE-SECRET-KEY-1…) from identity files, as `age-keygen` writes them."""
    parsed = []
    for path in files:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise BackupFileError(f"Cannot read the identity file {path} ({error}).") from error
        for line in lines:
            if line.strip().startswith("AGE-SECRET-KEY-"):
                try:
                    parsed.append(pyrage.x25519.Identity.from_str(line.strip()))
                except Exception as error:  # pyrage.IdentityError
                    raise BackupFileError(f"The identity file {path} has a key age cannot read.") from error
        if not parsed:
            raise BackupFileError(f"The identity file {path} has no age secret key (AGE-SECRET-KEY-1…).")
    return parsed


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


# --- Writing ---------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Writes through to a binary file and hashes what passes."""

    def __init__(self, target: BinaryIO):
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


class _Encrypting(io.RawIOBase):
    """Writes go into a pipe; a thread encrypts from it into the target (pyrage.encrypt_io)."""

    def __init__(self, target, recipients: list):
        read_end, write_end = os.pipe()
        self.pipe = os.fdopen(write_end, "wb", buffering=CHUNK)  # buffered: writes whole, never in part
        self.error: BaseException | None = None
        source = os.fdopen(read_end, "rb", buffering=CHUNK)

        def run() -> None:
            try:
                pyrage.encrypt_io(source, target, recipients)
            except BaseException as error:  # reported by finish(); the writer then gets a broken pipe
                self.error = error
            finally:
                source.close()

        self.thread = threading.Thread(target=run, name="backup-encrypt", daemon=True)
        self.thread.start()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        try:
            self.pipe.write(data)
        except BrokenPipeError:
            self.finish()  # raises the encryption's own error
            raise
        return len(data)

    def finish(self) -> None:
        if not self.pipe.closed:
            with contextlib.suppress(BrokenPipeError):
                self.pipe.close()
        self.thread.join()
        if self.error is not None:
            raise BackupFileError(f"Encryption failed ({self.error}).") from self.error


class _Compressing(io.RawIOBase):
    """gzip (zlib with the gzip header and CRC trailer) or zstd (with a frame checksum)."""

    def __init__(self, target, compression: str):
        self.target = target
        if compression == "gzip":
            self.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip container
        else:
            self.compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).compressobj()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(self.compressor.compress(bytes(data)))
        return len(data)

    def finish(self) -> None:
        self.target.write(self.compressor.flush())


class Encoder:
    """Text in; UTF-8, compressed, encrypted as asked, and hashed on its way out to `target`.

    Write to `.text`, then `finish()`: after it `.sha256` and `.size` describe the bytes written."""

    def __init__(self, target: BinaryIO, *, compression: str = "none", recipients: list | None = None):
        if compression not in COMPRESSIONS:
            raise BackupFileError(f"Unknown compression {compression!r} (one of {', '.join(COMPRESSIONS)}).")
        self.hashing = _Hashing(target)
        self.encrypting = _Encrypting(self.hashing, recipients) if recipients else None
        layer = self.encrypting or self.hashing
        self.compressing = _Compressing(layer, compression) if compression != "none" else None
        self.buffer = io.BufferedWriter(self.compressing or layer, CHUNK)
        self.text = io.TextIOWrapper(self.buffer, encoding="utf-8", newline="")
        self.sha256, self.size = "", 0

    def finish(self) -> None:
        self.text.flush()
        self.buffer.flush()
        if self.compressing:
            self.compressing.finish()
        if self.encrypting:
            self.encrypting.finish()
        self.sha256, self.size = self.hashing.sha256.hexdigest(), self.hashing.size

    def abort(self) -> None:
        """After a failure: stop the encryption thread without waiting for more data."""
        if self.encrypting:
            with contextlib.suppress(Exception):
                self.encrypting.finish()


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path` (mode 0600, as mkstemp makes it), renamed to `path` only
    when the block ends without an exception, after an fsync of the file and then of the directory.
    On an exception it is removed; a `kill -9` leaves it under its hidden temporary name."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


def write_checksum(path: Path, sha256: str) -> Path:
    """`FILE.sha256` in the format of sha256sum (two spaces, the file's name), atomically."""
    target = checksum_path(path)
    with atomic_file(target) as stream:
        stream.write(f"{sha256}  {path.name}\n".encode())
    return target


def read_checksum(path: Path) -> str | None:
    """The SHA-256 that `FILE.sha256` records for FILE, or None when there is no such file."""
    target = checksum_path(path)
    try:
        text = target.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise BackupFileError(f"Cannot read {target.name} ({error}).") from error
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name.lstrip("*") == path.name and len(digest) == 64:
            return digest.lower()
    raise BackupFileError(f"{target.name} has no SHA-256 line for {path.name}.")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Reading ---------------------------------------------------------------------------------


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were read to tell its format, and are given back first."""

    def __init__(self, prefix: bytes, rest):
        self.prefix, self.rest = prefix, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            size = min(len(buffer), len(self.prefix))
            buffer[:size], self.prefix = self.prefix[:size], self.prefix[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _peek(stream) -> _Prefixed:
    prefix = b""
    while len(prefix) < len(AGE_ARMOR_MAGIC):
        data = stream.read(len(AGE_ARMOR_MAGIC) - len(prefix))
        if not data:
            break
        prefix += data
    return _Prefixed(prefix, stream)


class _Decompressing(io.RawIOBase):
    """gzip or zstd, decompressed as read; refuses a stream that ends before its format does.

    What one step may produce is bounded, so memory stays flat even for data that compresses
    hundreds of times (or a file made to): gzip through zlib's max_length, zstd by feeding
    ZSTD_STEP bytes at a time (a zstd block yields at most 128 KiB and takes at least 4 bytes)."""

    def __init__(self, source, compression: str):
        self.source, self.compression = source, compression
        self.decompressor = self._new()
        self.tail = memoryview(b"")  # compressed bytes read and not yet decompressed
        self.pending, self.offset = memoryview(b""), 0  # decompressed bytes not yet returned

    def _new(self):
        if self.compression == "gzip":
            return zlib.decompressobj(31)
        return zstandard.ZstdDecompressor().decompressobj()

    def readable(self) -> bool:
        return True

    def _step(self) -> bool:
        """Decompress the next piece into `pending`; False at the end of the data."""
        if not self.tail:
            self.tail = memoryview(self.source.read(CHUNK))
            if not self.tail:
                if not self.decompressor.eof:
                    raise BackupFileError(
                        f"The {self.compression} data ends too early: the file is truncated (afkortet)."
                    )
                return False
        if self.decompressor.eof:  # another member or frame follows (as `cat a.gz b.gz` makes)
            self.decompressor = self._new()
        try:
            if self.compression == "gzip":
                output = self.decompressor.decompress(self.tail, CHUNK)
                rest = self.decompressor.unconsumed_tail
            else:
                output = self.decompressor.decompress(self.tail[:ZSTD_STEP])
                rest = self.tail[ZSTD_STEP:]
        except (zlib.error, zstandard.ZstdError) as error:
            raise BackupFileError(f"The {self.compression} data is damaged ({error}).") from error
        self.tail = memoryview(self.decompressor.unused_data) if self.decompressor.eof else memoryview(rest)
        self.pending, self.offset = memoryview(output), 0
        return True

    def readinto(self, buffer) -> int:
        while self.offset >= len(self.pending):
            if not self._step():
                return 0
        size = min(len(buffer), len(self.pending) - self.offset)
        buffer[:size] = self.pending[self.offset : self.offset + size]
        self.offset += size
        return size


class _Decrypting(io.RawIOBase):
    """Reads from a pipe that a thread fills with pyrage.decrypt_io; its error is raised at the end."""

    def __init__(self, source, identities: list):
        read_end, write_end = os.pipe()
        self.pipe = os.fdopen(read_end, "rb", buffering=0)
        self.error: BaseException | None = None
        sink = os.fdopen(write_end, "wb", buffering=0)

        def run() -> None:
            try:
                pyrage.decrypt_io(source, sink, identities)
            except BaseException as error:  # raised by the reader once the pipe runs dry
                self.error = error
            finally:
                with contextlib.suppress(BrokenPipeError):
                    sink.close()

        self.thread = threading.Thread(target=run, name="backup-decrypt", daemon=True)
        self.thread.start()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = self.pipe.readinto(buffer)
        if not size:
            self.thread.join()
            if self.error is not None:
                raise BackupFileError(
                    "Decryption failed: wrong identity, or the file is damaged or truncated "
                    f"(dekryptering mislykkedes; {self.error})."
                ) from self.error
        return size

    def close(self) -> None:
        if not self.pipe.closed:
            self.pipe.close()  # a thread still writing gets a broken pipe and ends
        self.thread.join()
        super().close()


@contextlib.contextmanager
def reading(stream: BinaryIO, *, identities: list | None = None) -> Iterator[BinaryIO]:
    """The export's JSON bytes from a stream in any format `Encoder` writes, or plain JSON."""
    opened = []
    try:
        source = _peek(stream)
        if source.prefix.startswith((AGE_MAGIC, AGE_ARMOR_MAGIC)):
            if not identities:
                raise BackupFileError(
                    "The file is encrypted with age: give the private key with --identity FILE "
                    "(filen er krypteret; angiv nøglen med --identity)."
                )
            decrypting = _Decrypting(source, identities)
            opened.append(decrypting)
            source = _peek(decrypting)
        if source.prefix.startswith(GZIP_MAGIC):
            source = _Decompressing(source, "gzip")
        elif source.prefix.startswith(ZSTD_MAGIC):
            source = _Decompressing(source, "zstd")
        yield io.BufferedReader(source, CHUNK)
    finally:
        for item in opened:
            item.close()
