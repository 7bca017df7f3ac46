import { DeleteOutlined, FilePdfOutlined, PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Image, Popconfirm, Space, Tooltip, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';

import {
  EVIDENCE_MAX_BYTES,
  type EvidenceUse,
  photoPlaceText,
  type PhotoInfo,
} from '../../../../shared/domain/inspection';
import { safeFileName } from '../../../../shared/file-name';
import { api } from '../../api';
import { dateTimeText } from '../../dates';
import { base64ToBytes, readFileBase64 } from '../../files';
import { errorText } from '../../errors';

type Variant = 'original' | 'thumb' | 'print';

interface Shown {
  url: string;
  photo: PhotoInfo | null;
}

/**
 * Object URLs of evidence already read, by SHA-256 and size: a photo used twice is fetched once.
 * Screens show a photo's thumbnail (a few dozen KB, upright) and its print size when opened, never
 * the phone's original of several MB; a PDF scan opens as itself.
 */
const shown = new Map<string, Promise<Shown>>();

function evidenceUrl(use: EvidenceUse, variant: Variant): Promise<Shown> {
  const key = `${use.sha256}:${variant}`;
  let url = shown.get(key);
  if (!url) {
    url = api.call('evidence.read', { id: use.id, variant }).then((file) => {
      const blob = new Blob([base64ToBytes(file.dataBase64)], { type: file.mimeType });
      return { url: URL.createObjectURL(blob), photo: file.photo };
    });
    url.catch(() => shown.delete(key));
    shown.set(key, url);
  }
  return url;
}

function timeText(ms: number | null): string {
  return ms === null ? '时间未知' : dateTimeText(ms);
}

/**
 * A caption: the file's own name and when it was taken — the camera's own record (EXIF) when the
 * photo has one, else the file's time — and where, when the photo recorded it.
 */
export function evidenceCaption(use: EvidenceUse, photo: PhotoInfo | null = null): string {
  const when = photo?.takenAt ? `拍摄于 ${photo.takenAt}` : timeText(use.takenAt);
  const where = photo?.gps ? ` · ${photoPlaceText(photo.gps)}` : '';
  return `${use.fileName} · ${when}${where}`;
}

function Thumbnail({ use, onPhoto }: { use: EvidenceUse; onPhoto: (p: PhotoInfo) => void }) {
  const [src, setSrc] = useState<string | null>(null);
  const [large, setLarge] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const isImage = use.mimeType.startsWith('image/');

  useEffect(() => {
    let live = true;
    evidenceUrl(use, isImage ? 'thumb' : 'original').then(
      (got) => {
        if (!live) return;
        setSrc(got.url);
        if (got.photo) onPhoto(got.photo);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [use, isImage, onPhoto]);

  function loadLarge(): void {
    if (large || !isImage) return;
    evidenceUrl(use, 'print').then(
      (got) => setLarge(got.url),
      () => undefined,
    );
  }

  if (!isImage || failed) {
    return (
      <a
        className="evidence-file"
        href={src ?? undefined}
        target="_blank"
        rel="noreferrer"
        download={safeFileName(use.fileName)}
      >
        {use.mimeType === 'application/pdf' ? <FilePdfOutlined /> : <PaperClipOutlined />}
        <span>{failed ? '无法读取' : 'PDF'}</span>
      </a>
    );
  }
  return (
    <div onMouseEnter={loadLarge} onFocus={loadLarge}>
      <Image
        className="evidence-thumb"
        width={96}
        height={72}
        src={src ?? undefined}
        alt={use.fileName}
        placeholder
        preview={{
          src: large ?? src ?? undefined,
          onOpenChange: (open) => open && loadLarge(),
        }}
      />
    </div>
  );
}

function EvidenceItem({
  use,
  disabled,
  onRemove,
}: {
  use: EvidenceUse;
  disabled: boolean;
  onRemove: (use: EvidenceUse) => void;
}) {
  const [photo, setPhoto] = useState<PhotoInfo | null>(null);
  const caption = evidenceCaption(use, photo);
  return (
    <figure className="evidence-item">
      <Thumbnail use={use} onPhoto={setPhoto} />
      <figcaption>
        <Tooltip title={caption}>
          <Typography.Text className="evidence-caption" type="secondary">
            {caption}
          </Typography.Text>
        </Tooltip>
        {!disabled && (
          <Popconfirm
            title="删除这份证据？"
            okText="删除"
            cancelText="取消"
            okButtonProps={{ danger: true }}
            onConfirm={() => onRemove(use)}
          >
            <Button
              type="text"
              size="small"
              danger
              aria-label={`删除 ${use.fileName}`}
              icon={<DeleteOutlined />}
            />
          </Popconfirm>
        )}
      </figcaption>
    </figure>
  );
}

export interface EvidenceListProps {
  evidence: readonly EvidenceUse[];
  disabled: boolean;
  /** What the files go to: a visit (optionally one answer) or a violation. */
  target:
    { inspectionId: string; processId?: string; indicatorId?: string } | { violationId: string };
  /** Called after a file is added or removed. */
  onChanged: () => void;
  /** The upload button's label. */
  label?: string;
}

/** Photos and scanned documents: thumbnails with their captions, an upload button, removal. */
export function EvidenceList({ evidence, disabled, target, onChanged, label }: EvidenceListProps) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  async function add(file: File): Promise<void> {
    if (file.size > EVIDENCE_MAX_BYTES) {
      void message.error(
        `“${file.name}”有 ${(file.size / 1024 / 1024).toFixed(1)} MB，超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB 的上限，未保存`,
      );
      return;
    }
    setBusy(true);
    try {
      await api.call('evidence.add', {
        ...target,
        file: { fileName: file.name, dataBase64: await readFileBase64(file) },
        takenAt: file.lastModified > 0 ? file.lastModified : null,
      });
      void message.success(`已保存“${file.name}”`);
      onChanged();
    } catch (e) {
      void message.error(errorText(e, '保存失败：'));
    } finally {
      setBusy(false);
    }
  }

  async function remove(use: EvidenceUse): Promise<void> {
    try {
      await api.call('evidence.remove', { id: use.id });
      onChanged();
    } catch (e) {
      void message.error(errorText(e, '删除失败：'));
    }
  }

  return (
    <div className="evidence-list">
      {evidence.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap size={8}>
            {evidence.map((use) => (
              <EvidenceItem
                key={use.id}
                use={use}
                disabled={disabled}
                onRemove={(u) => void remove(u)}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {!disabled && (
        <Upload
          accept="image/*,application/pdf"
          multiple
          showUploadList={false}
          beforeUpload={(file) => {
            void add(file);
            return false;
          }}
        >
          <Button size="small" icon={<PaperClipOutlined />} loading={busy}>
            {label ?? '添加照片或文件'}
          </Button>
        </Upload>
      )}
    </div>
  );
}
