import { Button, Input, Modal, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import SignaturePad from 'signature_pad';

import { api } from '../api';
import { base64ToBytes } from '../files';

/** The PNG of a drawn signature, base64 without the data-URL prefix (as the API takes it). */
function pngBase64(pad: SignaturePad): string {
  return pad.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

export interface SignaturePadModalProps {
  open: boolean;
  /** 请张伟签名, 企业陪同人员签名… */
  title: string;
  /** A line under the title: what signing means here. */
  hint?: string;
  /** Ask for the signer's name too (the enterprise's representative is not on the team list). */
  askName?: boolean;
  onCancel: () => void;
  /** Resolves when saved; a rejection keeps the dialog open with what was drawn. */
  onSave: (signature: { image: string; name: string }) => Promise<void>;
}

/**
 * A signature drawn on screen with a mouse, pen or finger (pointer events on a canvas, by the
 * signature_pad library), saved as a PNG. The canvas is sized to the device's pixel ratio so a
 * pen's line stays sharp on the PDF.
 */
export function SignaturePadModal({
  open,
  title,
  hint,
  askName = false,
  onCancel,
  onSave,
}: SignaturePadModalProps) {
  const padRef = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(true);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const canvasRef = useCallback((canvas: HTMLCanvasElement | null) => {
    padRef.current?.off();
    padRef.current = null;
    if (!canvas) return;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext('2d')?.scale(ratio, ratio);
    const pad = new SignaturePad(canvas, { penColor: '#1a1a1a', minWidth: 1, maxWidth: 3 });
    pad.addEventListener('endStroke', () => setEmpty(pad.isEmpty()));
    padRef.current = pad;
    setEmpty(true);
  }, []);

  useEffect(() => () => padRef.current?.off(), []);

  function clear(): void {
    padRef.current?.clear();
    setEmpty(true);
  }

  return (
    <Modal
      open={open}
      title={title}
      width={620}
      destroyOnHidden
      maskClosable={false}
      afterClose={() => {
        setName('');
        setEmpty(true);
      }}
      onCancel={onCancel}
      footer={
        <Space>
          <Button onClick={clear} disabled={empty || busy}>
            清除重签
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            取消
          </Button>
          <Button
            type="primary"
            loading={busy}
            disabled={empty || (askName && name.trim() === '')}
            onClick={() => {
              const pad = padRef.current;
              if (!pad || pad.isEmpty()) return;
              setBusy(true);
              onSave({ image: pngBase64(pad), name: name.trim() })
                .catch(() => undefined)
                .finally(() => setBusy(false));
            }}
          >
            保存签名
          </Button>
        </Space>
      }
    >
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      {askName && (
        <Input
          aria-label="签名人姓名"
          placeholder="签名人姓名"
          value={name}
          maxLength={50}
          style={{ marginBottom: 8 }}
          onChange={(e) => setName(e.target.value)}
        />
      )}
      <div className="signature-pad-frame">
        <canvas ref={canvasRef} className="signature-pad" aria-label="签名框" />
        {empty && (
          <span className="signature-pad-placeholder">请在此处用鼠标、手写笔或手指签名</span>
        )}
      </div>
    </Modal>
  );
}

const images = new Map<string, Promise<string>>();

/** A stored signature shown as an image (read once per file, as evidence is). */
export function SignatureImage({
  id,
  sha256,
  name,
  height = 40,
}: {
  id: string;
  sha256: string;
  name: string;
  height?: number;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let shown = images.get(sha256);
    if (!shown) {
      shown = api.call('evidence.read', { id }).then((file) => {
        const blob = new Blob([base64ToBytes(file.dataBase64)], { type: file.mimeType });
        return URL.createObjectURL(blob);
      });
      shown.catch(() => images.delete(sha256));
      images.set(sha256, shown);
    }
    shown.then(
      (u) => live && setUrl(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [id, sha256]);
  if (failed) return <Typography.Text type="secondary">签名图片尚未同步到本机</Typography.Text>;
  if (!url) return <span className="signature-image-loading" style={{ height }} />;
  return <img className="signature-image" src={url} alt={`${name}的签名`} style={{ height }} />;
}
