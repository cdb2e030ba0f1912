"""A small message catalogue, Indonesian (default) and English, for reports people read.

`t("key", lang, **values)` looks a message up and fills it in; a key missing in one language
falls back to the other, then to the key itself, so a report never breaks over a missing
word. Other reports may add their own keys here.
"""
from __future__ import annotations

from typing import Any

LANGS = ("id", "en")
DEFAULT_LANG = "id"

CATALOGUE: dict[str, dict[str, str]] = {
    # the diagram report
    "diagram.title": {"id": "Pemeriksaan diagram LAN {pd}", "en": "LAN diagram check of {pd}"},
    "diagram.legal": {
        "id": "Perwali Batam No. 40 Tahun 2021 tentang SPBE, Pasal 20 ayat (2): setiap LAN Perangkat Daerah "
              "harus dapat diperiksa oleh Dinas; Pasal 21: Perangkat Daerah wajib menyerahkan diagram LAN "
              "terkini paling sedikit sekali setahun (ayat 1) dan melaporkan rincian setiap perubahan LAN (ayat 2).",
        "en": "Batam Mayoral Regulation No. 40/2021 on e-government (SPBE), Art. 20(2): every PD LAN must be "
              "inspectable by the Dinas; Art. 21: every PD must submit its current LAN diagram at least once a "
              "year (para. 1) and report the details of any change to its LAN (para. 2)."},
    "diagram.file": {"id": "Berkas", "en": "File"},
    "diagram.format": {"id": "Format", "en": "Format"},
    "diagram.checked_against": {"id": "Dibandingkan dengan", "en": "Compared with"},
    "diagram.snapshot": {"id": "hasil pemindaian jaringan no. {id} ({at})",
                         "en": "network sweep no. {id} ({at})"},
    "diagram.verdict": {"id": "Hasil", "en": "Verdict"},
    "diagram.verdict.matches": {"id": "SESUAI: diagram cocok dengan jaringan",
                                "en": "MATCHES: the diagram agrees with the network"},
    "diagram.verdict.findings": {"id": "TIDAK SESUAI: {n} temuan perlu diperbaiki",
                                 "en": "DOES NOT MATCH: {n} finding(s) to fix"},
    "diagram.picture": {"id": "Diagram sebagaimana dibaca netops", "en": "The diagram as netops read it"},
    "diagram.picture_failed": {"id": "Gambar diagram tidak dapat dibuat", "en": "The picture could not be drawn"},
    "diagram.legend": {
        "id": "Merah: tidak ditemukan di jaringan atau salah sambung. Oranye: peringatan. Biru putus-putus: "
              "ada di jaringan tetapi tidak digambar.",
        "en": "Red: not found in the network or wrongly connected. Orange: warning. Dashed blue: present in the "
              "network but not drawn."},
    "diagram.findings": {"id": "Temuan", "en": "Findings"},
    "diagram.none": {"id": "Tidak ada temuan.", "en": "No findings."},
    "diagram.col.severity": {"id": "Tingkat", "en": "Severity"},
    "diagram.col.kind": {"id": "Jenis", "en": "Kind"},
    "diagram.col.subject": {"id": "Perangkat / kabel", "en": "Device / cable"},
    "diagram.col.reason": {"id": "Keterangan", "en": "Reason"},
    "diagram.notes": {"id": "Catatan pembacaan berkas", "en": "Notes from reading the file"},
    "diagram.unverified": {"id": "Tidak dapat diverifikasi", "en": "Could not be verified"},
    "diagram.devices": {"id": "{n} perangkat, {m} kabel", "en": "{n} devices, {m} cables"},
    "diagram.footer": {"id": "Dibuat oleh netops, Dinas Kominfo Kota Batam, {at}.",
                       "en": "Made by netops, Dinas Kominfo Kota Batam, {at}."},
    "severity.error": {"id": "galat", "en": "error"},
    "severity.warning": {"id": "peringatan", "en": "warning"},
    # finding kinds and their reasons ({params} come from Finding.params)
    "kind.device missing": {"id": "perangkat tidak ditemukan", "en": "device missing"},
    "kind.device not in diagram": {"id": "perangkat tidak digambar", "en": "device not in diagram"},
    "kind.link missing": {"id": "kabel tidak ditemukan", "en": "link missing"},
    "kind.link not in diagram": {"id": "kabel tidak digambar", "en": "link not in diagram"},
    "kind.wrong far end": {"id": "salah sambung", "en": "wrong far end"},
    "kind.interface down": {"id": "port mati", "en": "interface down"},
    "kind.speed mismatch": {"id": "kecepatan berbeda", "en": "speed mismatch"},
    "kind.IP mismatch": {"id": "alamat IP berbeda", "en": "IP mismatch"},
    "kind.serial mismatch": {"id": "nomor seri berbeda", "en": "serial mismatch"},
    "kind.unmanaged peer": {"id": "perangkat tak dikelola", "en": "unmanaged peer"},
    "reason.device missing": {"id": "{device} ada di diagram tetapi tidak ditemukan di jaringan"},
    "reason.device not in diagram": {"id": "{device} ({role}) ada di jaringan tetapi tidak digambar"},
    "reason.link missing": {"id": "kabel ini tidak terlihat di jaringan ({why})"},
    "reason.link not in diagram": {"id": "{local} tersambung ke {peer}, tetapi kabel ini tidak digambar"},
    "reason.wrong far end": {"id": "ujung kabel tersambung ke {seen}, bukan ke {declared} seperti di diagram"},
    "reason.interface down": {"id": "port mati: {interfaces}"},
    "reason.speed mismatch": {"id": "kecepatan di diagram {declared} Mb/s, terlihat: {seen}"},
    "reason.IP mismatch": {"id": "diagram menulis {declared}, alamat manajemen perangkat {actual}"},
    "reason.serial mismatch": {"id": "diagram menulis nomor seri {declared}, perangkat melaporkan {actual}"},
    "reason.unmanaged peer": {"id": "{local} tersambung ke {peer}, yang tidak ada di inventaris maupun diagram"},
    # the submission status list
    "status.overdue": {"id": "TERLAMBAT", "en": "OVERDUE"},
    "status.ok": {"id": "tepat waktu", "en": "on time"},
    "status.never": {"id": "belum pernah", "en": "never"},
}


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    """The message in `lang` (falling back to the other language, then to the key), filled in."""
    entry = CATALOGUE.get(key, {})
    text = entry.get(lang) or next((entry[other] for other in LANGS if other in entry), key)
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def has(key: str, lang: str) -> bool:
    return lang in CATALOGUE.get(key, {})
