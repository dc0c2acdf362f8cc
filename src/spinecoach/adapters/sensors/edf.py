"""EDF, EDF+, BDF and BDF+ recordings (read with pyedflib), with EDF+ annotations as events.

EDF (Kemp et al. 1992, Electroencephalography and Clinical Neurophysiology 82:391-393) stores
16-bit samples, BDF (BioSemi) 24-bit; EDF+ (Kemp & Olivan 2003, Clinical Neurophysiology
114:1755-1761) adds annotations ("TAL"s) and the "EDF Annotations" signal, which pyedflib keeps
apart from the data signals. Samples are read as physical values (the header's digital-to-
physical line applied), in the header's physical dimension. Each signal has its own rate
(samples per data record / record duration), so channels are grouped by rate, never resampled.

An EDF+D (discontinuous) file is read as if its data records were contiguous: the gaps
between records are not restored (docs/sensors.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import check_file, read_bytes
from spinecoach.adapters.sensors.signals import BDF_MAGIC, Channel, assemble
from spinecoach.analysis.timeseries import Event, TimeSeries
from spinecoach.domain.errors import InvalidInput

EDF_MAGIC = b"0       "
HEADER_BYTES = 256


def read(path: Path, /) -> tuple[TimeSeries, ...]:
    """The data signals of an EDF(+)/BDF(+) file, grouped by sampling rate, with annotations."""
    import pyedflib  # here, not at import: only EDF users load it

    check_file(path)
    head = read_bytes(path, HEADER_BYTES)
    if not (head.startswith(EDF_MAGIC) or head.startswith(BDF_MAGIC)):
        raise InvalidInput(
            str(path), "not an EDF or BDF file (the header does not start with '0' or BIOSEMI)"
        )
    if len(head) < HEADER_BYTES:
        raise InvalidInput(str(path), "is truncated: shorter than an EDF header (256 bytes)")
    try:
        reader = pyedflib.EdfReader(str(path))
    except OSError as error:
        raise InvalidInput(str(path), f"not a readable EDF/BDF file ({_reason(error)})") from None
    try:
        count = int(reader.signals_in_file)
        if count == 0:
            raise InvalidInput(str(path), "holds no signal channels")
        labels = reader.getSignalLabels()
        rates = reader.getSampleFrequencies()
        channels = [
            Channel(
                str(labels[i]),
                str(reader.getPhysicalDimension(i)),
                float(rates[i]),
                np.asarray(reader.readSignal(i), dtype=np.float64),
            )
            for i in range(count)
        ]
        onsets, durations, texts = reader.readAnnotations()
    except (OSError, ValueError, IndexError) as error:
        raise InvalidInput(str(path), f"signals cannot be read ({_reason(error)})") from None
    finally:
        reader.close()
    events = [
        Event(str(text).strip(), float(onset), float(onset + length) if length > 0 else None)
        for onset, length, text in zip(onsets, durations, texts, strict=True)
    ]
    return assemble(path, channels, events)


def _reason(error: Exception) -> str:
    """pyedflib's message without the path it repeats."""
    text = str(error).split(": ", 1)[-1].strip()
    return text or type(error).__name__
