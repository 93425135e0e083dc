// The page's small glue, kept out of index.html so that the page runs under its strict
// Content-Security-Policy (no inline script).

// Export PNG: the diagram's SVG drawn on a canvas at twice its size, then downloaded. An SVG that
// cannot be drawn says so rather than doing nothing.
window.sfnsimExportPng = (svgText, fileName) => {
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = img.width * 2;
    canvas.height = img.height * 2;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const a = document.createElement('a');
    a.href = canvas.toDataURL('image/png');
    a.download = fileName;
    a.click();
  };
  img.onerror = () => {
    window.alert('Export PNG failed: the browser could not draw the diagram as an image.');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText);
};
