"""PDF/A-3 (level B) and PDF/UA-1 identification, written by ReportLab as the document is saved.

What ISO 19005-3 asks of the file beyond the page content, added to ReportLab's own objects just
before it writes them (no second pass over the PDF, so the render costs the same and the same record
still gives the same bytes):

- XMP metadata (uncompressed, as the standard asks) in step with the Info dictionary: dc:title,
  dc:creator, dc:description, pdf:Keywords, pdf:Producer, pdf:Trapped, xmp:CreatorTool,
  xmp:CreateDate, xmp:ModifyDate; `pdfaid:part 3` with `pdfaid:conformance B`, and `pdfuaid:part 1`
  with the extension schema PDF/A asks for properties outside its own list;
- an sRGB output intent, the ICC profile made by Little CMS (through Pillow) with its creation date
  fixed, so its bytes never change;
- associated files (`/AF` in the catalog, `/AFRelationship` on each): the record's canonical JSON as
  `Source` (the exact bytes whose SHA-256 the PDF prints), the uploaded documents as `Supplement`,
  through `app.pdf.attach.embed_files`.

Fonts are IBM Plex Sans (or DejaVu Sans), embedded by ReportLab; the renderer passes its font as the
canvas's initial font so ReportLab's default Helvetica is never named. The declaration is level B:
the structure tree (app.pdf.tagging) aims at level A too, but no independent validator has confirmed
it here, so the file does not claim it.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from xml.sax.saxutils import escape

from PIL import ImageCms
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFDocument, PDFName, PDFStream, PDFString, PDFZCompress

from app.pdf import tagging
from app.pdf.attach import SOURCE, SUPPLEMENT, catalog_key, embed_files

RECORD_FILE = "etikdialog-post.json"  # the canonical JSON's name inside the PDF
PDFA_PART, PDFA_CONFORMANCE = 3, "B"
PDFUA_PART = 1
SRGB = "sRGB IEC61966-2.1"
ICC_DATE = bytes.fromhex("07e8 0001 0001 0000 0000 0000".replace(" ", ""))  # 2024-01-01T00:00:00


class _PlainStream(PDFStream):
    """A stream written as it is, with no Filter entry (the XMP packet must stay readable)."""

    def format(self, document):
        content = document.encrypt.encode(self.content)
        dictionary = PDFDictionary(self.dictionary.dict.copy())
        dictionary["Length"] = len(content)
        return PDFDictionary.format(dictionary, document) + b"\nstream\n" + content + b"\nendstream\n"


@cache
def srgb_profile() -> bytes:
    """Little CMS's sRGB profile with its header date fixed (bytes 24–35 of the ICC header) and no
    profile ID, so every render embeds the same bytes."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = ICC_DATE
    profile[84:100] = bytes(16)
    return bytes(profile)


def xmp_date(pdf_date: str) -> str:
    """ "D:20260301120000+00'00'" (the Info dictionary's form) as XMP's "2026-03-01T12:00:00+00:00"."""
    moment = datetime.strptime(pdf_date[2:16], "%Y%m%d%H%M%S")
    zone = pdf_date[16:].replace("'", "")
    offset = "+00:00" if zone in ("", "Z", "+0000") else f"{zone[:3]}:{zone[3:5]}"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + offset


IDENTIFICATION = f"""  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>{PDFA_PART}</pdfaid:part>
   <pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>{PDFUA_PART}</pdfuaid:part>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"""  # PDF/A and PDF/UA, with the extension schema PDF/A asks for pdfuaid


def xmp_packet(
    *, title: str, author: str, subject: str, keywords: str, creator: str, producer: str, made: str, claims: bool = True
) -> bytes:
    """The XMP metadata packet, its values those of the Info dictionary (ISO 19005-3 §6.6.3).
    Without `claims` it declares neither PDF/A nor PDF/UA."""
    identification = IDENTIFICATION if claims else ""
    date = xmp_date(made)
    t = {"title": escape(title), "author": escape(author), "subject": escape(subject), "keywords": escape(keywords)}
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t["title"]}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{t["author"]}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{t["subject"]}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>da-DK</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdf:Keywords>{t["keywords"]}</pdf:Keywords>
   <pdf:Trapped>False</pdf:Trapped>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
{identification} </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return packet.encode("utf-8")


def archive(document: PDFDocument, *, record_json: bytes | None, attachments: list[dict], made: str) -> None:
    """Make a ReportLab document that is about to be saved a PDF/A-3 with PDF/UA identification:
    the record's JSON and the uploaded files as associated files, the XMP packet, the output
    intent. Call it after the pages are shown, right before `save`."""
    if not tagging.enabled():  # the benchmark's untagged comparison: the files only, as before
        embed_files(document, attachments)
        return
    files = [{**a, "relationship": SUPPLEMENT} for a in attachments]
    if record_json is not None:
        files.insert(0, {"name": RECORD_FILE, "data": record_json, "relationship": SOURCE, "mime": "application/json"})
    embed_files(document, files, made=made)
    info = document.info
    embedded = all_fonts_embedded(document)
    catalog = document.Catalog
    catalog.Metadata = document.Reference(
        _PlainStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            content=xmp_packet(
                title=info.title,
                author=info.author,
                subject=info.subject,
                keywords=info.keywords,
                creator=info.creator,
                producer=info.producer,
                made=made,
                claims=embedded,
            ),
        )
    )
    profile = document.Reference(PDFStream(PDFDictionary({"N": 3}), content=srgb_profile(), filters=[PDFZCompress]))
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(SRGB),
            "Info": PDFString(SRGB),
            "DestOutputProfile": profile,
        }
    )
    catalog_key(catalog, "OutputIntents", PDFArray([intent]))


def all_fonts_embedded(document: PDFDocument) -> bool:
    """Whether every font the document uses is embedded: not so when neither IBM Plex Sans nor
    DejaVu Sans is installed and the renderer falls back on Helvetica (app.pdf.fonts); then the
    file claims neither PDF/A nor PDF/UA."""
    return not any(getattr(pdfmetrics.getFont(name).face, "builtIn", 0) for name in document.fontMapping)


_MARKED = re.compile(rb"/Marked\s+true")


def is_tagged(pdf: bytes) -> bool:
    """Whether a PDF says it is tagged (a structure tree and /MarkInfo /Marked true): those signed
    before the renderer tagged its output are not, and a signed PDF is never made again."""
    return b"/StructTreeRoot" in pdf and _MARKED.search(pdf) is not None
