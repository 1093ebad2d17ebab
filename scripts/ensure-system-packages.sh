#!/usr/bin/env bash
# Make sure the programs MedExtract calls are installed.
#   ensure-system-packages.sh run   -> what the app needs (tesseract and its headers, poppler)
#   ensure-system-packages.sh test  -> also fonts for generated test documents (printed and
#                                      handwriting faces, tuning and held-out), Chromium, PostgreSQL,
#                                      qpdf (makes the password-protected PDF in tests/test_load.py)
# As root on Debian/Ubuntu it installs what is missing with apt-get; otherwise it prints exactly
# what to install and fails, so nobody runs the app half set up.
set -euo pipefail
mode="${1:-run}"

# command-or-file to check  ->  Debian package that provides it
declare -A needs=(
  [tesseract]=tesseract-ocr
  [/usr/share/tesseract-ocr/5/tessdata/eng.traineddata]=tesseract-ocr-eng
  [/usr/share/tesseract-ocr/5/tessdata/osd.traineddata]=tesseract-ocr-osd
  [pdfinfo]=poppler-utils
  [pdftoppm]=poppler-utils
  # tesserocr (requirements.txt) is built against the system's libtesseract
  [/usr/include/tesseract/baseapi.h]=libtesseract-dev
  [/usr/include/leptonica/allheaders.h]=libleptonica-dev
  [pkg-config]=pkg-config
  [g++]=g++
)
if [ "$mode" = test ]; then
  needs+=(
    [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]=fonts-dejavu-core
    [/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf]=fonts-liberation
    [/usr/share/fonts/truetype/freefont/FreeSans.ttf]=fonts-freefont-ttf
    [/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf]=fonts-comic-neue
    # Held-out printed faces and the handwriting faces (docgen/fonts.py names the same packages).
    [/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf]=fonts-crosextra-carlito
    [/usr/share/fonts/truetype/crosextra/Caladea-Regular.ttf]=fonts-crosextra-caladea
    [/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf]=fonts-open-sans
    [/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf]=fonts-roboto-unhinted
    [/usr/share/fonts/truetype/lato/Lato-Regular.ttf]=fonts-lato
    [/usr/share/fonts/opentype/cantarell/Cantarell-Regular.otf]=fonts-cantarell
    [/usr/share/fonts/truetype/oxygen/Oxygen-Sans.ttf]=fonts-oxygen
    [/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf]=fonts-urw-base35
    [/usr/share/fonts/truetype/breip/Breip.ttf]=fonts-breip
    [/usr/share/fonts/truetype/fifthhorseman/dkg.ttf]=fonts-dkg-handwriting
    [/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf]=fonts-ecolier-court
    [/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf]=fonts-kaushanscript
    [/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf]=fonts-dancingscript
    [/usr/share/fonts/truetype/kristi/Kristi.ttf]=fonts-kristi
    [/usr/bin/chromium]=chromium
    [/usr/lib/postgresql]=postgresql
    [qpdf]=qpdf
  )
fi

missing=()
# tesserocr compiles against the Python it is installed for: its headers (Debian's python3-dev
# for the system Python; a Python built from source, pyenv's, has them).
python_h="$(${PYTHON:-python3} -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)/Python.h"
[ -e "$python_h" ] || missing+=(python3-dev)
for thing in "${!needs[@]}"; do
  if [[ "$thing" == /* ]]; then [ -e "$thing" ] && continue
  else command -v "$thing" >/dev/null 2>&1 && continue; fi
  missing+=("${needs[$thing]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

cat >&2 <<MSG
MedExtract needs these system packages, which are missing: ${missing[*]}
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  macOS:          brew install tesseract poppler pkg-config   (tests also need chromium and postgresql)
Then run the make command again.
MSG
exit 1
